// Weight sliders: show each weight as a live % of the total, show only the chosen
// profile's sliders and the chosen method's options, and reset the sliders to the
// survey's values.
(function () {
  "use strict";
  const profileSelect = document.getElementById("id_profile");
  // A share written as the page's language writes it: 52.6% in English, 52,6 % in French.
  const asPercent = new Intl.NumberFormat(document.documentElement.lang || "en", {
    style: "percent", minimumFractionDigits: 1, maximumFractionDigits: 1,
  });

  function refresh(group) {
    const sliders = group.querySelectorAll('input[type="range"]');
    let total = 0;
    sliders.forEach((s) => (total += parseFloat(s.value) || 0));
    sliders.forEach((s) => {
      const out = group.querySelector(`output[data-for="${s.id}"]`);
      if (out) out.textContent = total > 0 ? asPercent.format((parseFloat(s.value) || 0) / total) : "–";
    });
  }

  const methodSelect = document.getElementById("id_method");

  // Show the chosen profile's sliders and the chosen method's options; what is hidden
  // is disabled, so it is not sent.
  function showChosen() {
    document.querySelectorAll(".weight-group").forEach((group) => {
      group.hidden = !!profileSelect && group.dataset.profile !== profileSelect.value;
    });
    document.querySelectorAll(".method-options").forEach((box) => {
      box.hidden = !!methodSelect && box.dataset.method !== methodSelect.value;
    });
    document.querySelectorAll(".weight-group input, .method-options input, .method-options select").forEach((input) => {
      input.disabled = !!input.closest("[hidden]");
    });
  }

  document.querySelectorAll(".weight-group").forEach((group) => {
    group.addEventListener("input", () => refresh(group));
    const reset = group.querySelector(".reset-weights");
    if (reset) {
      reset.addEventListener("click", () => {
        group.querySelectorAll('input[type="range"]').forEach((s) => (s.value = s.dataset.surveyValue));
        refresh(group);
        group.dispatchEvent(new Event("input", { bubbles: true }));
      });
    }
    refresh(group);
  });
  if (profileSelect) profileSelect.addEventListener("change", showChosen);
  if (methodSelect) methodSelect.addEventListener("change", showChosen);
  showChosen();
})();

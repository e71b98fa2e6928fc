// Weight sliders: show each weight as a live % of the total, show only the chosen
// profile's sliders, and reset them to the survey's values.
(function () {
  "use strict";
  const profileSelect = document.getElementById("id_profile");

  function refresh(group) {
    const sliders = group.querySelectorAll('input[type="range"]');
    let total = 0;
    sliders.forEach((s) => (total += parseFloat(s.value) || 0));
    sliders.forEach((s) => {
      const out = group.querySelector(`output[data-for="${s.id}"]`);
      if (out) out.textContent = total > 0 ? ((100 * (parseFloat(s.value) || 0)) / total).toFixed(1) + "%" : "–";
    });
  }

  function showChosen() {
    document.querySelectorAll(".weight-group").forEach((group) => {
      const chosen = !profileSelect || group.dataset.profile === profileSelect.value;
      group.hidden = !chosen;
      group.querySelectorAll("input").forEach((input) => (input.disabled = !chosen));
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
  showChosen();
})();

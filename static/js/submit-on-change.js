// A <select data-submit-on-change> submits its form when changed: the workspace switch,
// the score grid's profile. (An inline onchange= handler would break the
// Content-Security-Policy, which allows only scripts from static files.)
(function () {
  "use strict";
  document.querySelectorAll("select[data-submit-on-change]").forEach((select) => {
    select.addEventListener("change", () => select.form.requestSubmit());
  });
})();

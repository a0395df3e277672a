// The portal's only script, kept in a file because the Content-Security-Policy allows no
// inline script (docs/security.md).
document.addEventListener("DOMContentLoaded", () => {
  // The language menu applies the choice at once.
  for (const field of document.querySelectorAll("[data-submit-on-change]")) {
    field.addEventListener("change", () => field.form.submit());
  }
  // The letter's print button.
  for (const button of document.querySelectorAll("[data-print]")) {
    button.addEventListener("click", () => window.print());
  }
});

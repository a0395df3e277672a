/* The portal's only script: small, no framework, loaded with `defer` from base.html.
   No inline script anywhere (the Content-Security-Policy allows none; docs/security.md),
   so behaviour is declared in the markup with data- attributes:

   <form data-confirm="…">   asks before an irreversible action (file a report, submit a notice)
   every POST form          disables its buttons once sent, so a second press sends nothing
   <select data-autosubmit> sends its form when changed (the language selector)
   <button data-print>      prints the page (the withdrawal letter)
   .table-wrap              a table frame that scrolls sideways (phones) can be reached and
                            scrolled with the keyboard */
(function () {
  "use strict";

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
      event.preventDefault();
      return;
    }
    if ((form.method || "").toLowerCase() !== "post" || event.defaultPrevented) return;
    if (form.dataset.sent) {
      event.preventDefault();  // a second press while the first request runs
      return;
    }
    form.dataset.sent = "1";
    form.setAttribute("aria-busy", "true");
    // After this event: a disabled button would drop its own name/value from the request.
    window.setTimeout(function () {
      form.querySelectorAll("button, input[type=submit]").forEach(function (button) {
        button.disabled = true;
      });
    }, 0);
  });

  // Coming back with the browser's Back button shows the page as it was left: buttons on.
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) return;
    document.querySelectorAll("form[data-sent]").forEach(function (form) {
      delete form.dataset.sent;
      form.removeAttribute("aria-busy");
      form.querySelectorAll("button, input[type=submit]").forEach(function (button) {
        button.disabled = false;
      });
    });
  });

  document.addEventListener("change", function (event) {
    if (event.target.matches("select[data-autosubmit]")) event.target.form.requestSubmit();
  });

  document.addEventListener("click", function (event) {
    if (event.target.closest("button[data-print]")) window.print();
  });

  // Only a frame that does scroll becomes a tab stop: elsewhere it would be an empty stop.
  function focusableWhenScrolling() {
    document.querySelectorAll(".table-wrap").forEach(function (frame) {
      if (frame.scrollWidth > frame.clientWidth) {
        frame.tabIndex = 0;
        if (!frame.hasAttribute("role")) frame.setAttribute("role", "region");
        if (!frame.hasAttribute("aria-label")) {
          var caption = frame.querySelector("caption");
          frame.setAttribute("aria-label", caption ? caption.textContent.trim() : document.title);
        }
      } else {
        frame.removeAttribute("tabindex");
      }
    });
  }
  focusableWhenScrolling();
  window.addEventListener("resize", focusableWhenScrolling);
})();

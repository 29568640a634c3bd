/* Buttons marked data-print open the browser's print dialog (the sign-in sheet). A static file, not an
   onclick attribute: the Content-Security-Policy runs no inline handlers. */
(function () {
  "use strict";
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () {
      window.print();
    });
  });
})();

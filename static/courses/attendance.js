/* Back office attendance form: the header checkbox ticks or clears every enrollee that can be recorded.
   A static file, not an inline script: the Content-Security-Policy allows scripts from the portal only. */
(function () {
  "use strict";
  var all = document.getElementById("check-all");
  if (!all) {
    return;
  }
  all.addEventListener("change", function (event) {
    document.querySelectorAll('input[name="present"]:not([disabled])').forEach(function (box) {
      box.checked = event.target.checked;
    });
  });
})();

/*
 * Crisis safety: the Print button of the printable safety plan. Without this file the button
 * stays hidden and the page says how to print with the browser's own command.
 */
(function () {
  "use strict";

  function enablePrintButtons() {
    var buttons = document.querySelectorAll("[data-print-button]");
    Array.prototype.forEach.call(buttons, function (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        window.print();
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", enablePrintButtons);
  } else {
    enablePrintButtons();
  }
})();

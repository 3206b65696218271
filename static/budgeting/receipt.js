// Copy a receipt to the clipboard. Without JavaScript the button stays hidden and the code
// is still on the page to write down or select.
(function () {
  "use strict";
  function setUp(button) {
    var target = document.getElementById(button.getAttribute("data-copy-target"));
    var status = document.getElementById(button.getAttribute("data-copy-status"));
    if (!target || !navigator.clipboard) {
      return;
    }
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(target.textContent.trim()).then(
        function () {
          if (status) { status.textContent = button.getAttribute("data-copied"); }
        },
        function () {
          if (status) { status.textContent = button.getAttribute("data-failed"); }
        }
      );
    });
  }
  function init() {
    document.querySelectorAll("[data-copy-target]").forEach(setUp);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();

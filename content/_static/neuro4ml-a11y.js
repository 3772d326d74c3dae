/* Accessible names for the theme's and myst-nb's controls (run before the page is shown).
 *
 * - The navigation's expand/collapse toggles are <summary> elements with only an icon:
 *   give each the name of the section it opens ("Show the pages of Week 1: Neurons").
 * - myst-nb's folds ("Show code cell source", "Show solution") carry aria-label="Toggle
 *   hidden content", which hides their visible text from screen readers and speech
 *   control: drop it, so the name is the text the reader sees.
 * - The search buttons say "Search" to assistive technology but show "Search ... Ctrl+K":
 *   drop the label there too, so the visible text is the name.
 */
(function () {
  "use strict";
  function label() {
    document.querySelectorAll("nav li.has-children > details > summary").forEach(function (summary) {
      if (summary.textContent.trim() || summary.hasAttribute("aria-label")) return;
      var link = summary.parentElement.parentElement.querySelector(":scope > a");
      var title = link ? link.textContent.trim() : "this section";
      summary.setAttribute("aria-label", "Show the pages of " + title);
    });
    document.querySelectorAll("details.hide > summary[aria-label]").forEach(function (summary) {
      if (summary.textContent.trim()) summary.removeAttribute("aria-label");
    });
    document.querySelectorAll("button.search-button__button[aria-label]").forEach(function (button) {
      if (button.textContent.trim()) button.removeAttribute("aria-label");
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", label);
  } else {
    label();
  }
})();

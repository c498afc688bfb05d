// Starts GOV.UK Frontend and MOJ Frontend components on every page. Loaded as a module,
// so it runs after the document is parsed; no inline script is needed (strict CSP).
import * as GOVUKFrontend from "../vendor/govuk/govuk-frontend.min.js";
import * as MOJFrontend from "../vendor/moj/moj-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
GOVUKFrontend.initAll();
MOJFrontend.initAll();
// The filter panel of a list ([data-module="moj-filter"]) is not among MOJ's initAll: on screens
// up to 768 px it waits behind a "Show filter" button and closes again.
GOVUKFrontend.createAll(MOJFrontend.FilterToggleButton);

// A table wider than a phone scrolls inside its own box, never the page (WCAG 2.2 reflow).
// Pages wrap their tables in .app-table-scroll; a table a page left unwrapped is wrapped here.
const SCROLL_BOXES = ".app-table-scroll, .app-table-container";

for (const table of document.querySelectorAll("main table.govuk-table")) {
  if (table.closest(SCROLL_BOXES) || table.closest(".govuk-visually-hidden")) continue;
  const box = document.createElement("div");
  box.className = "app-table-scroll";
  table.replaceWith(box);
  box.append(table);
}

// A box that scrolls must be reachable by keyboard, and say what it holds: its table's caption,
// else the heading before it.
function describe(box, index) {
  const caption = box.querySelector("caption");
  if (caption) {
    caption.id ||= `app-table-caption-${index}`;
    box.setAttribute("aria-labelledby", caption.id);
    return;
  }
  let before = box.previousElementSibling;
  while (before && !/^H[1-6]$/.test(before.tagName)) before = before.previousElementSibling;
  const heading = before ? before.textContent.trim() : document.querySelector("h1")?.textContent.trim();
  box.setAttribute("aria-label", `${heading || "Table"} (table ${index + 1}, scrolls sideways)`);
}

function makeScrollingBoxesReachable() {
  document.querySelectorAll(SCROLL_BOXES).forEach((box, index) => {
    const scrolls = box.scrollWidth > box.clientWidth + 1;
    if (scrolls && !box.hasAttribute("tabindex")) {
      box.setAttribute("tabindex", "0");
      box.setAttribute("role", "region");
      describe(box, index);
    } else if (!scrolls && box.getAttribute("role") === "region") {
      box.removeAttribute("tabindex");
      box.removeAttribute("role");
      box.removeAttribute("aria-label");
      box.removeAttribute("aria-labelledby");
    }
  });
}

makeScrollingBoxesReachable();
let resizing;
window.addEventListener("resize", () => {
  clearTimeout(resizing);
  resizing = setTimeout(makeScrollingBoxesReachable, 150);
});

// A link to a question (a check-answers page's "Change") puts the cursor in it, as the error
// summary's links do: #id_x names the input, or a form group or fieldset holding it.
function focusLinkedQuestion() {
  const id = decodeURIComponent(window.location.hash.slice(1));
  if (!id) return;
  const target = document.getElementById(id);
  if (!target || !target.closest("form")) return;
  const field = target.matches("input, select, textarea")
    ? target
    : target.querySelector("input:not([type=hidden]), select, textarea");
  if (!field) return;
  field.focus({ preventScroll: true });
  // The question's label or legend in view with the field, not hidden under the top of the page.
  (field.closest(".govuk-form-group") || field).scrollIntoView({ block: "start" });
}

focusLinkedQuestion();
window.addEventListener("hashchange", focusLinkedQuestion);

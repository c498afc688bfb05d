// Starts GOV.UK Frontend and MOJ Frontend components on every page. Loaded as a module,
// so it runs after the document is parsed; no inline script is needed (strict CSP).
import * as GOVUKFrontend from "../vendor/govuk/govuk-frontend.min.js";
import * as MOJFrontend from "../vendor/moj/moj-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
GOVUKFrontend.initAll();
MOJFrontend.initAll();

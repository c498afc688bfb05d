// Copies the precompiled GOV.UK Frontend, MOJ Frontend and Chart.js files that the pages use
// into build/static/vendor, so Django serves them itself: police networks reach no CDN.
// The packages' CSS points at /assets/...; we rewrite those URLs to be relative to the CSS
// file so the manifest storage can fingerprint fonts and images like any other static file.
import { cpSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const modules = join(root, "node_modules");
const out = join(root, "build", "static", "vendor");

const withoutSourceMap = (text) => text.replace(/\/[/*]# sourceMappingURL=\S+?(\s*\*\/)?\s*$/, "");
const withRelativeAssets = (css) => css.replaceAll("url(/assets/", "url(assets/");

function copyText(from, to, ...transforms) {
  mkdirSync(dirname(to), { recursive: true });
  let text = readFileSync(from, "utf8");
  for (const transform of transforms) text = transform(text);
  writeFileSync(to, text);
}

function copyFolder(from, to, keep = () => true) {
  mkdirSync(to, { recursive: true });
  for (const name of readdirSync(from)) {
    if (keep(name)) cpSync(join(from, name), join(to, name), { recursive: true });
  }
}

rmSync(out, { recursive: true, force: true });

const govuk = join(modules, "govuk-frontend", "dist", "govuk");
copyText(join(govuk, "govuk-frontend.min.css"), join(out, "govuk", "govuk-frontend.min.css"), withoutSourceMap, withRelativeAssets);
copyText(join(govuk, "govuk-frontend.min.js"), join(out, "govuk", "govuk-frontend.min.js"), withoutSourceMap);
copyFolder(join(govuk, "assets", "fonts"), join(out, "govuk", "assets", "fonts"));
copyFolder(join(govuk, "assets", "images"), join(out, "govuk", "assets", "images"), (name) => name.startsWith("favicon") || name === "govuk-crest.svg");

const moj = join(modules, "@ministryofjustice", "frontend", "moj");
copyText(join(moj, "moj-frontend.min.css"), join(out, "moj", "moj-frontend.min.css"), withoutSourceMap, withRelativeAssets);
copyText(join(moj, "moj-frontend.min.js"), join(out, "moj", "moj-frontend.min.js"), withoutSourceMap);
copyFolder(join(moj, "assets", "images"), join(out, "moj", "assets", "images"), (name) => name.startsWith("icon-"));

copyText(join(modules, "chart.js", "dist", "chart.umd.min.js"), join(out, "chart", "chart.umd.min.js"), withoutSourceMap);
// Choropleth maps drawn on Chart.js from the districts' own GeoJSON: no tile server.
copyText(join(modules, "chartjs-chart-geo", "build", "index.umd.min.js"), join(out, "chart", "chartjs-chart-geo.umd.min.js"), withoutSourceMap);

console.log(`Front-end assets copied to ${out.slice(root.length + 1)}`);

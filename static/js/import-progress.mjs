// Moves an import's progress bar by polling its small JSON status URL, and reloads the page
// when the import (or its check) has finished so the counts and any errors are shown.
// A module file rather than inline script: the Content-Security-Policy forbids inline script.
const POLL_MILLISECONDS = 1000;

function watch(container) {
  const url = container.dataset.importStatusUrl;
  const bar = container.querySelector("[data-import-bar]");
  const count = container.querySelector("[data-import-count]");
  const status = container.querySelector("[data-import-status]");
  const number = new Intl.NumberFormat("en-GB");

  async function poll() {
    let state;
    try {
      const response = await fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" });
      if (!response.ok) throw new Error(`status ${response.status}`);
      state = await response.json();
    } catch {
      window.setTimeout(poll, POLL_MILLISECONDS * 5);
      return;
    }
    if (status) status.textContent = state.status_label;
    if (bar && state.total) {
      // Until the rows are read their total is unknown: the bar stays indeterminate.
      bar.max = state.total;
      bar.value = state.done;
      bar.textContent = `${state.percent}%`;
    }
    if (count) {
      count.textContent = state.message
        ?? `${number.format(state.done)} of ${number.format(state.total)} rows (${state.percent}%)`;
    }
    if (state.finished) {
      window.location.reload();
    } else {
      window.setTimeout(poll, POLL_MILLISECONDS);
    }
  }

  window.setTimeout(poll, POLL_MILLISECONDS);
}

document.querySelectorAll("[data-import-status-url]").forEach((container) => {
  if (container.dataset.finished !== "true") watch(container);
});

// Draws the funnel plot and the trend from the figures the page carries (a JSON script element
// and the trend table's data attributes: the Content-Security-Policy allows no inline script).
// Both charts have a table alternative in the page.
const Chart = window.Chart;

function funnel(canvas, data) {
  const line = (key, label, colour, dash) => ({
    type: "line",
    label,
    data: data.lines.map((point) => ({ x: point.population, y: point[key] })),
    borderColor: colour,
    borderDash: dash,
    borderWidth: 1.5,
    pointRadius: 0,
    fill: false,
  });
  const national = {
    type: "line",
    label: `${data.nationalLabel} rate`,
    data: [data.lines[0], data.lines[data.lines.length - 1]].map((point) => ({ x: point.population, y: data.nationalRate })),
    borderColor: "#0b0c0c",
    borderWidth: 2,
    pointRadius: 0,
  };
  const peers = (alliance) => ({
    type: "scatter",
    label: alliance ? "The alliance's" : "Others",
    data: data.peers.filter((peer) => peer.alliance === alliance).map((peer) => ({ x: peer.population, y: peer.shownRate, peer })),
    pointStyle: (context) => (context.raw && context.raw.peer.rate > context.raw.peer.shownRate ? "triangle" : alliance ? "rectRot" : "circle"),
    backgroundColor: alliance ? "#f47738" : "rgba(29, 112, 184, 0.6)",
    borderColor: alliance ? "#0b0c0c" : "#1d70b8",
    pointRadius: alliance ? 7 : 3.5,
  });
  // A rate far above the funnel (the City of London's, per its few residents) would squash the
  // chart: the axis stops above the widest limit, and a rate beyond it is drawn on the edge.
  const top = Math.max(...data.lines.map((point) => point.upper_998)) * 1.1;
  for (const peer of data.peers) peer.shownRate = Math.min(peer.rate, top);
  new Chart(canvas, {
    data: {
      datasets: [
        peers(true),
        peers(false),
        national,
        line("upper_95", "95 % limits", "#505a5f", [6, 3]),
        line("lower_95", "95 % limits (lower)", "#505a5f", [6, 3]),
        line("upper_998", "99.8 % limits", "#d4351c", [2, 2]),
        line("lower_998", "99.8 % limits (lower)", "#d4351c", [2, 2]),
      ],
    },
    options: {
      animation: false,
      responsive: true,
      scales: {
        x: { type: "logarithmic", title: { display: true, text: "Residents" } },
        y: { beginAtZero: true, max: top, title: { display: true, text: `${data.measure} per 1,000 residents` } },
      },
      plugins: {
        legend: { labels: { filter: (item) => !item.text.endsWith("(lower)") } },
        tooltip: {
          filter: (item) => Boolean(item.raw && item.raw.peer),
          callbacks: {
            label: (item) => {
              const peer = item.raw.peer;
              return `${peer.name}: ${peer.rate.toFixed(2)} per 1,000 (${peer.count.toLocaleString("en-GB")}) — ${peer.verdict}`;
            },
          },
        },
      },
    },
  });
}

function trend(canvas) {
  const rows = [...document.querySelectorAll("#trend-table tbody tr")];
  const value = (text) => (text === "" ? null : Number(text));
  new Chart(canvas, {
    type: "line",
    data: {
      labels: rows.map((row) => row.dataset.label),
      datasets: [
        { label: "The alliance", data: rows.map((row) => value(row.dataset.alliance)), borderColor: "#f47738", backgroundColor: "#f47738" },
        { label: "National", data: rows.map((row) => value(row.dataset.national)), borderColor: "#0b0c0c", backgroundColor: "#0b0c0c", borderDash: [4, 4] },
      ],
    },
    options: {
      animation: false,
      responsive: true,
      scales: { y: { beginAtZero: true, title: { display: true, text: "Per 1,000 residents" } } },
    },
  });
}

const source = document.getElementById("funnel-data");
if (Chart && source) {
  const data = JSON.parse(source.textContent);
  if (data) funnel(document.getElementById("funnel-chart"), data);
  const trendCanvas = document.getElementById("trend-chart");
  if (trendCanvas) trend(trendCanvas);
}

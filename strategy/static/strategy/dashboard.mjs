// Draws the dashboard charts from the figures the page carries in data attributes (no inline
// script: the Content-Security-Policy forbids it). Each chart has a table alternative in the page.
const Chart = window.Chart;

const numbers = (text, divisor = 1) =>
  (text || "").split("|").map((value) => (value === "" ? null : Number(value) / divisor));

function source(canvas) {
  return document.querySelector(`.app-chart-data[data-id="${canvas.dataset.source}"]`);
}

function sparkline(canvas, data) {
  new Chart(canvas, {
    type: "line",
    data: {
      labels: data.dataset.labels.split("|"),
      datasets: [{ data: numbers(data.dataset.values), borderColor: "#1d70b8", borderWidth: 2, pointRadius: 0, tension: 0.2 }],
    },
    options: {
      animation: false,
      responsive: true,
      plugins: { legend: { display: false }, tooltip: { enabled: false } },
      scales: { x: { display: false }, y: { display: false, beginAtZero: true } },
    },
  });
}

function monthly(canvas, data) {
  const divisor = Number(data.dataset.divisor) || 1;
  const cumulative = data.dataset.cumulative === "yes";
  const unit = data.dataset.valueLabel || "Figure";
  const datasets = [
    { type: "bar", label: "Figure in the month", data: numbers(data.dataset.values, divisor), backgroundColor: "#1d70b8", yAxisID: "y" },
    { type: "line", label: "The same days a year earlier", data: numbers(data.dataset.earlier, divisor), borderColor: "#505a5f", borderDash: [4, 4], pointRadius: 0, yAxisID: "y" },
  ];
  if (cumulative) {
    datasets.push(
      { type: "line", label: "Cumulative", data: numbers(data.dataset.cumulativeValues, divisor), borderColor: "#00703c", yAxisID: "total" },
      { type: "line", label: "Target due (cumulative)", data: numbers(data.dataset.expected, divisor), borderColor: "#d4351c", borderDash: [6, 3], pointRadius: 0, yAxisID: "total" },
    );
    if (data.dataset.forecast) {
      // The forecast from the last day of figures to the period's end, inside its band (the
      // legend names the shaded range once; its lower edge is drawn but not listed).
      datasets.push(
        { type: "line", label: "Forecast band (low)", data: numbers(data.dataset.forecastLow, divisor), borderColor: "rgba(0, 112, 60, 0)", pointRadius: 0, yAxisID: "total", spanGaps: true },
        { type: "line", label: "Forecast: likely range", data: numbers(data.dataset.forecastHigh, divisor), borderColor: "rgba(0, 112, 60, 0)", backgroundColor: "rgba(0, 112, 60, 0.15)", fill: "-1", pointRadius: 0, yAxisID: "total", spanGaps: true },
        { type: "line", label: "Forecast", data: numbers(data.dataset.forecast, divisor), borderColor: "#00703c", borderDash: [2, 3], pointRadius: 0, yAxisID: "total", spanGaps: true },
      );
    }
  } else {
    datasets.push({ type: "line", label: "Target", data: numbers(data.dataset.expected, 1), borderColor: "#d4351c", borderDash: [6, 3], pointRadius: 0, yAxisID: "y" });
  }
  // On a phone: smaller type, the legend under the chart, month labels level and thinned out.
  const narrow = window.matchMedia("(max-width: 40.0525em)").matches;
  const type = { size: narrow ? 12 : 14 };
  const axisTitle = (text) => ({ display: true, text, font: type });
  const ticks = { font: type, maxRotation: 0, autoSkip: true, autoSkipPadding: narrow ? 12 : 6 };
  // 1,000,000 reads as 1M on a phone, leaving the chart room between its two axes.
  const compact = new Intl.NumberFormat("en-GB", { notation: "compact" });
  const values = { font: type, ...(narrow ? { callback: (value) => compact.format(value) } : {}) };
  const scales = {
    x: { title: axisTitle("Month"), ticks },
    y: { beginAtZero: true, position: "left", title: axisTitle(`${unit} in the month`), ticks: values },
  };
  if (cumulative) {
    scales.total = {
      beginAtZero: true,
      position: "right",
      grid: { drawOnChartArea: false },
      title: axisTitle(`${unit} in the period so far`),
      ticks: values,
    };
  }
  new Chart(canvas, {
    data: { labels: data.dataset.labels.split("|"), datasets },
    options: {
      animation: false,
      responsive: true,
      // The container sets the height (static/css/app.css), so a phone gets a chart it can read.
      maintainAspectRatio: false,
      scales,
      plugins: {
        legend: {
          position: narrow ? "bottom" : "top",
          labels: {
            font: type,
            boxWidth: narrow ? 18 : 30,
            filter: (item) => !item.text.startsWith("Forecast band"),
          },
        },
      },
    },
  });
}

if (Chart) {
  for (const canvas of document.querySelectorAll("canvas.app-chart")) {
    const data = source(canvas);
    if (!data) continue;
    if (canvas.dataset.chart === "sparkline") sparkline(canvas, data);
    if (canvas.dataset.chart === "monthly") monthly(canvas, data);
  }
}

// Draws the district map (chartjs-chart-geo on Chart.js) from the districts' own GeoJSON, served
// by the site: no tile server. The shade of each district is worked out on the server, so the
// map, its legend and the table below agree. Keyboard: the arrow keys move between districts,
// Enter (or Space) opens the records of the district shown; a click does the same.
const Chart = window.Chart;
const ChartGeo = window.ChartGeo;

async function draw(canvas, data) {
  const response = await fetch(canvas.dataset.geojson, { credentials: "same-origin" });
  const geojson = await response.json();
  const byCode = new Map(data.districts.map((district) => [district.code, district]));
  const features = geojson.features.filter((feature) => byCode.has(feature.properties.code));
  const districts = features.map((feature) => byCode.get(feature.properties.code));
  const status = document.getElementById("district-map-status");
  const shown = (district) =>
    district.value === null ? "no figure" : district.value.toLocaleString("en-GB", { maximumFractionDigits: 2 });

  const chart = new Chart(canvas, {
    type: "choropleth",
    data: {
      labels: districts.map((district) => district.name),
      datasets: [
        {
          label: data.measure,
          outline: features,
          data: features.map((feature, index) => ({ feature, value: districts[index].value ?? 0 })),
          backgroundColor: (context) => (districts[context.dataIndex] || {}).colour || "#b1b4b6",
          borderColor: "#0b0c0c",
          borderWidth: 1,
          hoverBorderWidth: 3,
        },
      ],
    },
    options: {
      animation: false,
      responsive: true,
      aspectRatio: 1,
      showOutline: true,
      plugins: {
        legend: { display: false },
        tooltip: { callbacks: { label: (item) => `${districts[item.dataIndex].name}: ${shown(districts[item.dataIndex])}` } },
      },
      scales: {
        projection: { axis: "x", projection: "mercator" },
        color: { axis: "x", display: false },
      },
      onClick: (event, elements) => {
        if (elements.length && districts[elements[0].index].url) window.location.assign(districts[elements[0].index].url);
      },
      onHover: (event, elements) => {
        event.native.target.style.cursor = elements.length ? "pointer" : "default";
      },
    },
  });

  let current = -1;
  const focusDistrict = (index) => {
    current = (index + districts.length) % districts.length;
    const active = [{ datasetIndex: 0, index: current }];
    chart.setActiveElements(active);
    chart.tooltip.setActiveElements(active, { x: 0, y: 0 });
    chart.update();
    const district = districts[current];
    status.textContent = `${district.name}: ${shown(district)} (${current + 1} of ${districts.length}). Press Enter for its records.`;
  };
  canvas.addEventListener("keydown", (event) => {
    if (["ArrowRight", "ArrowDown"].includes(event.key)) focusDistrict(current + 1);
    else if (["ArrowLeft", "ArrowUp"].includes(event.key)) focusDistrict(current - 1);
    else if (["Enter", " "].includes(event.key) && current >= 0 && districts[current].url) window.location.assign(districts[current].url);
    else return;
    event.preventDefault();
  });
  canvas.addEventListener("blur", () => {
    chart.setActiveElements([]);
    chart.tooltip.setActiveElements([], { x: 0, y: 0 });
    chart.update();
  });
  canvas.dataset.ready = String(features.length);
}

const source = document.getElementById("district-map-data");
const canvas = document.getElementById("district-map");
if (Chart && ChartGeo && source && canvas) {
  draw(canvas, JSON.parse(source.textContent));
}

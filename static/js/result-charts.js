// Result page charts: per-criterion contributions and rank acceptability (Chart.js).
(function () {
  "use strict";
  if (typeof Chart === "undefined") return;
  const palette = ["#2f6fde", "#12b76a", "#f79009", "#9e77ed", "#f04438", "#0ba5ec", "#667085", "#ee46bc", "#84cc16"];

  function draw(canvasId, dataId, options) {
    const canvas = document.getElementById(canvasId);
    const source = document.getElementById(dataId);
    if (!canvas || !source) return;
    const data = JSON.parse(source.textContent);
    if (!data) return;
    data.datasets.forEach((d, i) => (d.backgroundColor = palette[i % palette.length]));
    new Chart(canvas, {
      type: "bar",
      data: data,
      options: Object.assign(
        { indexAxis: "y", maintainAspectRatio: false, animation: false,
          plugins: { legend: { position: "bottom" } } },
        options
      ),
    });
  }

  draw("contribution-chart", "contribution-data", {
    scales: { x: { stacked: true, title: { display: true, text: "contribution to score" } }, y: { stacked: true } },
  });
  // Whole percentages per rank ("Lower" sums the ranks past the fifth), 100 per tool.
  draw("acceptability-chart", "acceptability-data", {
    scales: {
      x: { stacked: true, max: 100, ticks: { callback: (v) => v + "%" },
           title: { display: true, text: "share of weight draws" } },
      y: { stacked: true },
    },
  });
})();

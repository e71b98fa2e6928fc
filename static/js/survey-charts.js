// Draws one horizontal bar chart per survey category from the page's JSON data.
(function () {
  "use strict";
  const source = document.getElementById("survey-charts");
  if (!source || typeof Chart === "undefined") return;
  for (const chart of JSON.parse(source.textContent)) {
    const canvas = document.getElementById(chart.id);
    if (!canvas) continue;
    canvas.parentElement.style.height = 48 + chart.labels.length * 34 + "px";
    new Chart(canvas, {
      type: "bar",
      data: {
        labels: chart.labels,
        datasets: [{ label: chart.unit, data: chart.values, backgroundColor: "#2f6fde" }],
      },
      options: {
        indexAxis: "y",
        maintainAspectRatio: false,
        animation: false,
        plugins: { legend: { display: true, position: "bottom" } },
        scales: { x: { beginAtZero: true, title: { display: true, text: chart.unit } } },
      },
    });
  }
})();

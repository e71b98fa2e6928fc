// Draws one horizontal bar chart per survey category from the page's JSON data.
(function () {
  "use strict";
  const source = document.getElementById("survey-charts");
  if (!source || typeof Chart === "undefined") return;

  // Chart.js cuts an axis label longer than the room beside the bars off at the canvas
  // edge, so a figure's label is broken into lines of words that fit about 40% of the
  // canvas (about 7 px a character); each bar gets the height its lines need.
  function wrapLabel(text, chartWidth) {
    const width = Math.max(10, Math.floor((chartWidth * 0.4) / 7));
    const lines = [];
    for (const word of String(text).split(" ")) {
      const last = lines.length - 1;
      if (last >= 0 && (lines[last] + " " + word).length <= width) lines[last] += " " + word;
      else lines.push(word);
    }
    return lines;
  }

  // A category whose figures have different units has no chart: drop its empty box.
  const drawn = new Set(JSON.parse(source.textContent).map((chart) => chart.id));
  document.querySelectorAll(".category .chart canvas").forEach((canvas) => {
    if (!drawn.has(canvas.id)) canvas.parentElement.hidden = true;
  });

  for (const chart of JSON.parse(source.textContent)) {
    const canvas = document.getElementById(chart.id);
    if (!canvas) continue;
    const box = canvas.parentElement;
    // About 80 px for the axis, its title and the legend; a label line is 14.4 px.
    const rows = chart.labels.map((label) => Math.max(34, 15 * wrapLabel(label, box.clientWidth).length + 8));
    box.style.height = 80 + rows.reduce((sum, row) => sum + row, 0) + "px";
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
        scales: {
          x: { beginAtZero: true, title: { display: true, text: chart.unit } },
          y: {
            ticks: {
              autoSkip: false,
              callback: function (value) { return wrapLabel(this.getLabelForValue(value), this.chart.width); },
            },
          },
        },
      },
    });
  }
})();

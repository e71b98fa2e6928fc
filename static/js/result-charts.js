// Result page charts: per-criterion contributions and rank acceptability (Chart.js).
(function () {
  "use strict";
  if (typeof Chart === "undefined") return;
  const palette = ["#2f6fde", "#12b76a", "#f79009", "#9e77ed", "#f04438", "#0ba5ec", "#667085", "#ee46bc", "#84cc16"];

  // Chart.js cuts an axis label longer than the room beside the bars off at the canvas
  // edge, so on a narrow (phone) canvas a tool's name is broken into lines of words
  // that fit about 40% of the canvas (about 7 px a character).
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

  function draw(canvasId, dataId, options) {
    const canvas = document.getElementById(canvasId);
    const source = document.getElementById(dataId);
    if (!canvas || !source) return;
    const data = JSON.parse(source.textContent);
    if (!data) return;
    // The axis title and the way a percentage is written, in the page's language
    // (selector/presenters: _contribution_chart, _acceptability_chart).
    const scales = options.scales;
    if (data.axis) scales.x.title.text = data.axis;
    const written = data.percent;
    if (written) scales.x.ticks = { callback: (v) => written.replace("{}", v) };
    delete data.axis;
    delete data.percent;
    data.datasets.forEach((d, i) => (d.backgroundColor = palette[i % palette.length]));
    const narrow = canvas.parentElement.clientWidth < 420;
    scales.y.ticks = {
      autoSkip: false,
      callback: function (value) { return wrapLabel(this.getLabelForValue(value), this.chart.width); },
    };
    new Chart(canvas, {
      type: "bar",
      data: data,
      options: {
        indexAxis: "y", maintainAspectRatio: false, animation: false, scales: scales,
        plugins: {
          legend: {
            position: "bottom",
            labels: narrow ? { boxWidth: 12, padding: 8, font: { size: 11 } } : {},
          },
        },
      },
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

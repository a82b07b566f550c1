//! `hld simulate --format html`: one self-contained page that plays the run on the
//! design's picture. A slider (and a play button) moves through the steps; each
//! component is coloured by its utilization (green below 70%, amber to 100%, red past
//! it, grey when down or unlimited), each link drawn as thick as its rate (on a log
//! scale against the run's busiest link); the charts sit below. No external resources: the picture, the charts,
//! the numbers and the script are in the page, and its Content-Security-Policy allows
//! nothing else.

use serde::Serialize;

use crate::html::{escape, inline_svg, script_json};
use hld_analysis::simulate::{Run, SeriesKind, human_clock};
use hld_model::Model;

/// The numbers the page's script reads, per step.
#[derive(Serialize)]
struct Data<'a> {
    times: Vec<String>,
    components: Vec<ComponentData<'a>>,
    links: Vec<LinkData<'a>>,
}

#[derive(Serialize)]
struct ComponentData<'a> {
    id: &'a str,
    /// Utilization in whole percent; `null` where unlimited, unknown or down.
    utilization: Vec<Option<u32>>,
    /// Share of requests failing, whole percent.
    errors: Vec<u32>,
}

#[derive(Serialize)]
struct LinkData<'a> {
    from: &'a str,
    to: &'a str,
    /// Rate in thousandths of the busiest link's, on a log scale.
    rate: Vec<u16>,
}

fn percent(value: f64) -> u32 {
    (value * 100.0).round().clamp(0.0, 1e6) as u32
}

fn data<'a>(model: &'a Model, run: &'a Run) -> Data<'a> {
    let components = run
        .series
        .iter()
        .filter(|s| s.kind == SeriesKind::Component)
        .map(|s| ComponentData {
            id: &s.id,
            utilization: s.utilization.iter().map(|u| u.map(percent)).collect(),
            errors: (0..s.offered.len())
                .map(|i| percent(s.error_share(i)))
                .collect(),
        })
        .collect();
    // Rates span orders of magnitude (a cdn's millions, a job's few): drawn on a log
    // scale against the busiest link of the run.
    let busiest = run.links.iter().flatten().copied().fold(0.0, f64::max);
    let scale = |rate: f64| {
        if busiest > 0.0 {
            (1000.0 * rate.max(0.0).ln_1p() / busiest.ln_1p()).round() as u16
        } else {
            0
        }
    };
    let links = model
        .links
        .iter()
        .zip(&run.links)
        .map(|(link, rates)| LinkData {
            from: &model.component(link.from).id,
            to: &model.component(link.to).id,
            rate: rates.iter().map(|&r| scale(r)).collect(),
        })
        .collect();
    Data {
        times: run.times.iter().map(|&t| human_clock(t)).collect(),
        components,
        links,
    }
}

/// The page: `picture` is the design's SVG (`hld render`), `charts` the run's.
pub fn page(model: &Model, run: &Run, title: &str, picture: &str, charts: &str) -> String {
    let steps = run.times.len().saturating_sub(1);
    let outcomes: String = run
        .outcomes
        .iter()
        .map(|o| {
            format!(
                "<li><b>{}</b>: {}</li>",
                escape(&o.flow),
                escape(o.outcome.name())
            )
        })
        .collect();
    format!(
        "<!doctype html>
<html lang=\"en\">
<head>
<meta charset=\"utf-8\">
<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'\">
<title>{title}</title>
<style>{STYLE}</style>
</head>
<body>
<h1>{title}</h1>
<ul class=\"outcomes\">{outcomes}</ul>
<div class=\"controls\">
<button id=\"play\" type=\"button\">Play</button>
<input id=\"step\" type=\"range\" min=\"0\" max=\"{steps}\" value=\"0\" aria-label=\"time\">
<output id=\"clock\">0:00</output>
</div>
<div id=\"picture\">{picture}</div>
<div id=\"charts\">{charts}</div>
<script type=\"application/json\" id=\"run\">{data}</script>
<script>{SCRIPT}</script>
</body>
</html>
",
        title = escape(title),
        picture = inline_svg(picture),
        charts = inline_svg(charts),
        data = script_json(&data(model, run)),
    )
}

const STYLE: &str = "
body { font: 14px/1.5 Inter, 'Helvetica Neue', Arial, sans-serif; margin: 1.5rem; color: #1f2933; }
h1 { font-size: 1.4rem; margin: 0 0 .5rem; }
.outcomes { margin: 0 0 1rem; padding-left: 1.2rem; }
.controls { display: flex; gap: .8rem; align-items: center; position: sticky; top: 0; background: #fff; padding: .4rem 0; }
#step { flex: 1; max-width: 40rem; }
#picture svg, #charts svg { max-width: 100%; height: auto; }
";

/// Colours each component by its utilization and thickens each link by its rate at the
/// chosen step; plays the steps at ten a second.
const SCRIPT: &str = "
const run = JSON.parse(document.getElementById('run').textContent);
const slider = document.getElementById('step');
const clock = document.getElementById('clock');
const play = document.getElementById('play');
const shapes = new Map();
for (const c of run.components) {
  const g = document.querySelector('#picture g.component[data-id=\"' + CSS.escape(c.id) + '\"]');
  const shape = g && g.querySelector('rect, path, ellipse, polygon');
  if (shape) shapes.set(c.id, shape);
}
const lines = run.links.map(l => Array.from(document.querySelectorAll(
  '#picture g.link[data-from=\"' + CSS.escape(l.from) + '\"][data-to=\"' + CSS.escape(l.to) + '\"] path')));
function colour(u) {
  if (u === null) return '#e4e7eb';
  if (u < 70) return '#c6f7e2';
  if (u <= 100) return '#fce588';
  return '#f29b9b';
}
function show(i) {
  clock.textContent = run.times[i];
  for (const c of run.components) {
    const shape = shapes.get(c.id);
    if (!shape) continue;
    shape.style.fill = colour(c.utilization[i]);
    shape.setAttribute('data-utilization', c.utilization[i] === null ? '' : c.utilization[i]);
  }
  run.links.forEach((l, k) => {
    for (const p of lines[k]) p.style.strokeWidth = (1 + 5 * l.rate[i] / 1000).toFixed(2);
  });
}
let timer = null;
play.addEventListener('click', () => {
  if (timer) { clearInterval(timer); timer = null; play.textContent = 'Play'; return; }
  play.textContent = 'Pause';
  timer = setInterval(() => {
    const next = (Number(slider.value) + 1) % (Number(slider.max) + 1);
    slider.value = next;
    show(next);
  }, 100);
});
slider.addEventListener('input', () => show(Number(slider.value)));
show(0);
";

//! SVG charts drawn by components (no JavaScript library). A chart alone is not accessible: each one
//! is a `<figure>` whose image has a text alternative and whose numbers are also a table beside it
//! (under it on a phone), with the same rows in the same order.

use std::f64::consts::PI;

use leptos::prelude::*;

/// One row of a chart and of its table: what is measured, its value, the value as written for
/// people (with its unit or its maximum), and an optional note (the band the value falls in).
#[derive(Clone, Debug, PartialEq)]
pub struct ChartRow {
    pub label: String,
    pub value: f64,
    pub shown: String,
    pub note: Option<String>,
}

/// The words around a chart: its title (the figure's caption and the image's name) and the
/// headers of its table's columns (the third only shows when a row has a note).
#[derive(Clone, Debug, PartialEq)]
pub struct ChartText {
    pub title: String,
    pub label_header: String,
    pub value_header: String,
    pub note_header: String,
}

/// Where the `i`-th of `n` radar axes points for `value` out of `max`, on a circle of `radius` around (`cx`, `cy`).
/// The first axis points up; the others follow clockwise.
pub fn radar_point(
    i: usize,
    n: usize,
    value: f64,
    max: f64,
    radius: f64,
    (cx, cy): (f64, f64),
) -> (f64, f64) {
    let ratio = ratio(value, 0.0, max);
    let angle = 2.0 * PI * i as f64 / n.max(1) as f64 - PI / 2.0;
    (
        cx + radius * ratio * angle.cos(),
        cy + radius * ratio * angle.sin(),
    )
}

/// Where `value` sits between `min` and `max`, from 0 to 1 (clamped; 0 when the range is empty).
pub fn ratio(value: f64, min: f64, max: f64) -> f64 {
    if max > min {
        ((value - min) / (max - min)).clamp(0.0, 1.0)
    } else {
        0.0
    }
}

/// `x` with one decimal, written from integers: nothing in the app then formats a float, which
/// keeps Rust's float formatting (~10 KB of code and tables) out of the wasm.
pub fn d1(x: f64) -> String {
    let tenths = (x * 10.0).round() as i64;
    let sign = if tenths < 0 { "-" } else { "" };
    let t = tenths.unsigned_abs();
    format!("{sign}{}.{}", t / 10, t % 10)
}

/// `x` as typed back into a field: whole ("3") or with the decimals it has, up to six ("3.25"),
/// written from integers for the same reason as [`d1`].
pub fn plain(x: f64) -> String {
    let scaled = (x * 1e6).round() as i64;
    let sign = if scaled < 0 { "-" } else { "" };
    let a = scaled.unsigned_abs();
    let (int, frac) = (a / 1_000_000, a % 1_000_000);
    if frac == 0 {
        return format!("{sign}{int}");
    }
    let frac = format!("{frac:06}");
    format!("{sign}{int}.{}", frac.trim_end_matches('0'))
}

fn polygon(points: impl Iterator<Item = (f64, f64)>) -> String {
    points
        .map(|(x, y)| format!("{},{}", d1(x), d1(y)))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The figure: the chart, and beside it the same numbers as a table.
#[component]
fn ChartFigure(text: ChartText, rows: Vec<ChartRow>, chart: AnyView) -> impl IntoView {
    let with_notes = rows.iter().any(|r| r.note.is_some());
    let body = rows
        .into_iter()
        .map(|r| {
            view! {
                <tr data-testid="chart-row">
                    <th scope="row">{r.label}</th>
                    <td class="num">{r.shown}</td>
                    {with_notes.then(|| view! { <td>{r.note.unwrap_or_default()}</td> })}
                </tr>
            }
        })
        .collect_view();
    view! {
        <figure class="chart-figure">
            <figcaption>{text.title.clone()}</figcaption>
            <div class="chart-box">{chart}</div>
            <table class="chart-table">
                <caption class="visually-hidden">{text.title}</caption>
                <thead>
                    <tr>
                        <th scope="col">{text.label_header}</th>
                        <th scope="col">{text.value_header}</th>
                        {with_notes.then(|| view! { <th scope="col">{text.note_header}</th> })}
                    </tr>
                </thead>
                <tbody>{body}</tbody>
            </table>
        </figure>
    }
}

/// Horizontal bars from `min` to `max`, one per row; `marks` draws a dotted line at each band
/// boundary (the table says which band each value falls in).
#[component]
pub fn BarChart(
    text: ChartText,
    rows: Vec<ChartRow>,
    min: f64,
    max: f64,
    #[prop(optional)] marks: Vec<f64>,
) -> impl IntoView {
    let (row, left, width) = (32.0, 150.0, 220.0);
    let height = row * rows.len() as f64 + 8.0;
    let bars = rows
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let y = 4.0 + row * i as f64;
            let w = width * ratio(r.value, min, max);
            view! {
                <text x="0" y=d1(y + 20.0) class="chart-label">{short(&r.label, 22)}</text>
                <rect x=d1(left) y=d1(y + 6.0) width=d1(width) height="18" class="chart-track"></rect>
                <rect x=d1(left) y=d1(y + 6.0) width=d1(w) height="18" class="chart-bar"></rect>
            }
        })
        .collect_view();
    let lines = marks
        .into_iter()
        .map(|m| {
            let x = left + width * ratio(m, min, max);
            view! { <line x1=d1(x) x2=d1(x) y1="2" y2=d1(height - 2.0) class="chart-mark"></line> }
        })
        .collect_view();
    let chart = view! {
        <svg class="chart chart-bars" viewBox=format!("0 0 {} {}", d1(left + width + 4.0), d1(height))
            role="img" aria-label=text.title.clone()>
            {bars}
            {lines}
        </svg>
    }
    .into_any();
    view! { <ChartFigure text rows chart/> }
}

/// A radar (spider) chart of values from `min` to `max`, one axis per row, the first pointing up;
/// for RIASEC the six axes in the hexagon's order (R, I, A, S, E, C).
#[component]
pub fn RadarChart(text: ChartText, rows: Vec<ChartRow>, min: f64, max: f64) -> impl IntoView {
    let (c, r, n) = ((180.0, 170.0), 105.0, rows.len());
    let span = max - min;
    let ring = |k: f64| polygon((0..n).map(move |i| radar_point(i, n, span * k, span, r, c)));
    let points: Vec<(f64, f64)> = rows
        .iter()
        .enumerate()
        .map(|(i, row)| radar_point(i, n, row.value - min, span, r, c))
        .collect();
    let axes = (0..n)
        .map(|i| {
            let (x, y) = radar_point(i, n, span, span, r, c);
            view! { <line x1=d1(c.0) y1=d1(c.1) x2=d1(x) y2=d1(y) class="chart-grid"></line> }
        })
        .collect_view();
    let dots = points
        .iter()
        .map(|(x, y)| view! { <circle cx=d1(*x) cy=d1(*y) r="4" class="chart-dot"></circle> })
        .collect_view();
    let labels = rows
        .iter()
        .enumerate()
        .map(|(i, row)| {
            let (x, y) = radar_point(i, n, span * 1.22, span, r, c);
            view! {
                <text x=d1(x) y=d1(y + 4.0) text-anchor="middle" class="chart-label">{short(&row.label, 16)}</text>
            }
        })
        .collect_view();
    let shape = polygon(points.into_iter());
    let chart = view! {
        <svg class="chart chart-radar" viewBox="0 0 360 340" role="img" aria-label=text.title.clone()>
            {[0.25, 0.5, 0.75, 1.0].map(|k| view! { <polygon points=ring(k) class="chart-grid"></polygon> })}
            {axes}
            <polygon points=shape class="chart-area"></polygon>
            {dots}
            {labels}
        </svg>
    }
    .into_any();
    view! { <ChartFigure text rows chart/> }
}

/// A label cut to `max` characters with an ellipsis, so that it fits its place in a chart (the table
/// beside it has it whole).
pub fn short(label: &str, max: usize) -> String {
    if label.chars().count() <= max {
        return label.to_string();
    }
    let mut s: String = label.chars().take(max.saturating_sub(1)).collect();
    s.push('…');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn d1_writes_one_decimal_rounded_with_its_sign() {
        assert_eq!(d1(12.34), "12.3");
        assert_eq!(d1(0.05), "0.1");
        assert_eq!(d1(-3.26), "-3.3");
        assert_eq!(d1(-0.04), "0.0");
        assert_eq!(d1(150.0), "150.0");
        assert_eq!(plain(3.0), "3");
        assert_eq!(plain(3.25), "3.25");
        assert_eq!(plain(-0.5), "-0.5");
        assert_eq!(plain(0.000001), "0.000001");
        assert_eq!(plain(120.0), "120");
    }

    #[test]
    fn first_axis_points_up_and_values_are_clamped() {
        let (x, y) = radar_point(0, 4, 10.0, 10.0, 100.0, (0.0, 0.0));
        assert!(x.abs() < 1e-9 && (y + 100.0).abs() < 1e-9);
        let (x, _) = radar_point(1, 4, 50.0, 10.0, 100.0, (0.0, 0.0));
        assert!((x - 100.0).abs() < 1e-9);
    }

    #[test]
    fn ratio_starts_at_the_minimum_and_is_clamped() {
        assert_eq!(ratio(10.0, 10.0, 50.0), 0.0);
        assert_eq!(ratio(30.0, 10.0, 50.0), 0.5);
        assert_eq!(ratio(60.0, 10.0, 50.0), 1.0);
        assert_eq!(ratio(5.0, 10.0, 10.0), 0.0);
    }

    #[test]
    fn long_labels_are_cut_with_an_ellipsis() {
        assert_eq!(short("Social", 16), "Social");
        assert_eq!(short("Stabilité émotionnelle", 10), "Stabilité…");
        assert_eq!(short("Stabilité émotionnelle", 10).chars().count(), 10);
    }
}

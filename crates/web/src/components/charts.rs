//! SVG charts drawn by components (no JavaScript library). Each chart is an image with a text
//! alternative, and the data stays available as a table for who cannot see it.
#![allow(
    dead_code,
    reason = "the charts serve the bilan features of the next versions"
)]

use std::f64::consts::PI;

use leptos::prelude::*;

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
    let ratio = if max > 0.0 {
        (value / max).clamp(0.0, 1.0)
    } else {
        0.0
    };
    let angle = 2.0 * PI * i as f64 / n.max(1) as f64 - PI / 2.0;
    (
        cx + radius * ratio * angle.cos(),
        cy + radius * ratio * angle.sin(),
    )
}

fn polygon(points: impl Iterator<Item = (f64, f64)>) -> String {
    points
        .map(|(x, y)| format!("{x:.1},{y:.1}"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Horizontal bars, one per (label, value), scaled to `max`.
#[component]
pub fn BarChart(#[prop(into)] title: String, data: Vec<(String, f64)>, max: f64) -> impl IntoView {
    let row = 32.0;
    let height = row * data.len() as f64 + 8.0;
    let bars = data
        .into_iter()
        .enumerate()
        .map(|(i, (label, value))| {
            let y = 4.0 + row * i as f64;
            let w = if max > 0.0 {
                240.0 * (value / max).clamp(0.0, 1.0)
            } else {
                0.0
            };
            view! {
                <text x="0" y=y + 20.0 class="chart-label">{label}</text>
                <rect x="140" y=y + 6.0 width=w height="18" class="chart-bar"></rect>
                <text x=146.0 + w y=y + 20.0 class="chart-value">{format!("{value}")}</text>
            }
        })
        .collect_view();
    let label = title.clone();
    view! {
        <svg class="chart" viewBox=format!("0 0 420 {height}") role="img" aria-label=label>
            <title>{title}</title>
            {bars}
        </svg>
    }
}

/// A radar (spider) chart of values out of `max`, one axis per label.
#[component]
pub fn RadarChart(
    #[prop(into)] title: String,
    data: Vec<(String, f64)>,
    max: f64,
) -> impl IntoView {
    let (c, r, n) = ((160.0, 160.0), 110.0, data.len());
    let ring = |k: f64| polygon((0..n).map(move |i| radar_point(i, n, max * k, max, r, c)));
    let shape = polygon(
        data.iter()
            .enumerate()
            .map(|(i, (_, v))| radar_point(i, n, *v, max, r, c)),
    );
    let labels = data
        .iter()
        .enumerate()
        .map(|(i, (label, _))| {
            let (x, y) = radar_point(i, n, max * 1.25, max, r, c);
            view! { <text x=x y=y text-anchor="middle" class="chart-label">{label.clone()}</text> }
        })
        .collect_view();
    let label = title.clone();
    view! {
        <svg class="chart" viewBox="0 0 320 320" role="img" aria-label=label>
            <title>{title}</title>
            {[0.25, 0.5, 0.75, 1.0].map(|k| view! { <polygon points=ring(k) class="chart-grid"></polygon> })}
            <polygon points=shape class="chart-area"></polygon>
            {labels}
        </svg>
    }
}

#[cfg(test)]
mod tests {
    use super::radar_point;

    #[test]
    fn first_axis_points_up_and_values_are_clamped() {
        let (x, y) = radar_point(0, 4, 10.0, 10.0, 100.0, (0.0, 0.0));
        assert!(x.abs() < 1e-9 && (y + 100.0).abs() < 1e-9);
        let (x, _) = radar_point(1, 4, 50.0, 10.0, 100.0, (0.0, 0.0));
        assert!((x - 100.0).abs() < 1e-9);
    }
}

//! Figures in human units with 3 significant figures (docs/estimates.md, "Output"), and
//! availability with the nines it needs.

pub const DAY: f64 = 86_400.0;

pub fn significant(value: f64) -> String {
    if value == 0.0 || !value.is_finite() {
        return "0".to_string();
    }
    let digits = value.abs().log10().floor() as i32;
    let decimals = (2 - digits).max(0) as usize;
    let mut rounded = format!("{value:.decimals$}");
    if rounded.contains('.') {
        let kept = rounded.trim_end_matches('0').trim_end_matches('.').len();
        rounded.truncate(kept);
    }
    rounded
}

fn scaled(value: f64, units: &[(f64, &str)]) -> String {
    let position = units
        .iter()
        .position(|(s, _)| value.abs() >= *s)
        .unwrap_or(units.len() - 1);
    // Rounding may reach the next unit up (999.96 → 1000): show it in that unit.
    let (scale, unit) = units[position];
    let mut shown = significant(value / scale.max(1.0));
    // Three significant figures reach 1000 only by rounding up from below it.
    if position > 0 && shown.trim_start_matches('-') == "1000" {
        let (scale, unit) = units[position - 1];
        return format!("{}{unit}", significant(value / scale.max(1.0)));
    }
    // The last unit's threshold is 0: it catches what is left, unscaled.
    shown.push_str(unit);
    shown
}

/// A small share in percent with 3 significant figures (0.0999%), for costs and shares
/// that are not availabilities.
pub fn share_percent(fraction: f64) -> String {
    format!("{}%", significant(fraction * 100.0))
}

pub fn human_count(value: f64) -> String {
    scaled(
        value,
        &[
            (1e12, "T"),
            (1e9, "B"),
            (1e6, "M"),
            (1e3, "k"),
            (1.0, ""),
            (0.0, ""),
        ],
    )
}

pub fn human_rate(per_second: f64) -> String {
    // Units appended in place: `format!` cost more than the figure on large tables.
    if per_second > 0.0 && per_second < 1.0 {
        let mut text = human_count(per_second * DAY);
        text.push_str("/day");
        return text;
    }
    let mut text = human_count(per_second);
    text.push_str("/s");
    text
}

/// US dollars per month: `$40k/month`, `$144/month`.
pub fn human_money(per_month: f64) -> String {
    let mut text = String::from("$");
    text.push_str(&human_count(per_month));
    text.push_str("/month");
    text
}

pub fn human_size(bytes: f64) -> String {
    scaled(
        bytes,
        &[
            (1e15, " PB"),
            (1e12, " TB"),
            (1e9, " GB"),
            (1e6, " MB"),
            (1e3, " KB"),
            (0.0, " B"),
        ],
    )
}

pub fn human_duration(seconds: f64) -> String {
    if seconds < 1.0 {
        let mut text = significant(seconds * 1000.0);
        text.push_str("ms");
        return text;
    }
    scaled(
        seconds,
        &[
            (365.0 * DAY, "y"),
            (DAY, "d"),
            (3600.0, "h"),
            (60.0, "min"),
            (1.0, "s"),
        ],
    )
}

pub fn percent(fraction: f64) -> String {
    let value = fraction * 100.0;
    percent_with(value, percent_decimals(value))
}

/// Availability needs its nines: 4 significant figures of the part missing to 100%
/// (99.8001%, the interview's 99.9% × 99.9%). At most 7 decimals: beyond, the figure is
/// float noise and reads as 100%.
fn percent_decimals(value: f64) -> usize {
    if (99.0..100.0).contains(&value) {
        (((100.0 - value).log10().floor() as i32).abs().max(0) as usize + 3).min(7)
    } else {
        1
    }
}

/// A percentage with at most `decimals` decimals, trailing zeros dropped.
fn percent_with(value: f64, decimals: usize) -> String {
    let text = format!("{value:.decimals$}");
    let text = if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        text
    };
    format!("{text}%")
}

/// `fraction` as a percentage that never reads as equal to a `target` it misses:
/// decimals are added until the figure shown is below the target shown (99.94999%
/// against 99.95%, where 3 significant figures would round it to 99.95%).
pub fn percent_against(fraction: f64, target: f64) -> String {
    let text = percent(fraction);
    let read = |text: &str| text.trim_end_matches('%').parse::<f64>().unwrap_or(0.0);
    let goal = read(&percent(target));
    if fraction >= target || read(&text) < goal {
        return text;
    }
    let value = fraction * 100.0;
    (percent_decimals(value)..=10)
        .map(|decimals| percent_with(value, decimals))
        .find(|shown| read(shown) < goal)
        .unwrap_or(text)
}

pub fn format_factor(factor: f64) -> String {
    format!("{}x", significant(factor))
}

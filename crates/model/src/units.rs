//! Quantities: what a number with a unit means in a given dimension. The dimension
//! decides what an ambiguous suffix means: `500B` is 500 bytes as a size and 500
//! billion as a count (docs/language.md, "Lexical").

use hld_syntax::ast::Quantity;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dimension {
    Count,
    Size,
    Duration,
    Rate,
    Percentage,
    Factor,
    Bandwidth,
    /// US dollars per month (`$40k/month`; `$0.20/h` is 720 hours' worth).
    Money,
}

impl Dimension {
    pub fn name(self) -> &'static str {
        match self {
            Dimension::Count => "a count",
            Dimension::Size => "a size",
            Dimension::Duration => "a duration",
            Dimension::Rate => "a rate",
            Dimension::Percentage => "a percentage",
            Dimension::Factor => "a factor",
            Dimension::Bandwidth => "a bandwidth",
            Dimension::Money => "an amount of money",
        }
    }

    /// What to write instead, for the help line of an error.
    pub fn example(self) -> &'static str {
        match self {
            Dimension::Count => {
                "a whole number, optionally with `K`, `M`, `B` or `T` (e.g. `100M`)"
            }
            Dimension::Size => {
                "a number with `B`, `KB`, `MB`, `GB`, `TB`, `PB` or `KiB`, `MiB`, `GiB`, `TiB` (e.g. `500B`)"
            }
            Dimension::Duration => {
                "a number with `ms`, `s`, `min`, `h`, `d`, `w` or `y` (e.g. `24h`)"
            }
            Dimension::Rate => {
                "a count per time: `/s`, `/min`, `/h`, `/day`, `/month`, `/y`, or `rps`/`qps` (e.g. `10k/s`, `10/day`)"
            }
            Dimension::Percentage => "a number with `%` (e.g. `99.95%`)",
            Dimension::Factor => "a number with `x` (e.g. `3x`)",
            Dimension::Bandwidth => {
                "a number with `bps`, `Kbps`, `Mbps`, `Gbps` or a size per second (e.g. `1Gbps`, `5MB/s`)"
            }
            Dimension::Money => {
                "dollars per month or per hour: `$` in front, `k` or `M` after, `/month` or `/h` (e.g. `$40k/month`, `$0.20/h`)"
            }
        }
    }
}

#[derive(Debug, PartialEq)]
pub enum UnitError {
    /// The unit belongs to another dimension (`ttl: 5GB`).
    WrongDimension(Dimension),
    /// `m` alone: minutes or metres or milli? hld refuses to guess.
    AmbiguousMinutes,
    Unknown,
}

const MINUTE: f64 = 60.0;
const HOUR: f64 = 3_600.0;
const DAY: f64 = 86_400.0;
const WEEK: f64 = 7.0 * DAY;
/// A month is 30 days and a year 365 days in every estimate.
const MONTH: f64 = 30.0 * DAY;
const YEAR: f64 = 365.0 * DAY;

fn magnitude(suffix: &str) -> Option<f64> {
    Some(match suffix {
        "" => 1.0,
        "K" | "k" => 1e3,
        "M" => 1e6,
        "B" => 1e9,
        "T" => 1e12,
        _ => return None,
    })
}

fn bytes(unit: &str) -> Option<f64> {
    Some(match unit {
        "B" => 1.0,
        "KB" => 1e3,
        "MB" => 1e6,
        "GB" => 1e9,
        "TB" => 1e12,
        "PB" => 1e15,
        "KiB" => 1024.0,
        "MiB" => 1024f64.powi(2),
        "GiB" => 1024f64.powi(3),
        "TiB" => 1024f64.powi(4),
        "PiB" => 1024f64.powi(5),
        _ => return None,
    })
}

fn seconds(unit: &str) -> Option<f64> {
    Some(match unit {
        "ms" => 1e-3,
        "s" => 1.0,
        "min" => MINUTE,
        "h" => HOUR,
        "d" => DAY,
        "w" => WEEK,
        "y" => YEAR,
        _ => return None,
    })
}

/// The time unit after `/` in a rate (`10/day`), which spells days out.
fn rate_period(unit: &str) -> Option<f64> {
    Some(match unit {
        "s" => 1.0,
        "min" => MINUTE,
        "h" => HOUR,
        "day" => DAY,
        "month" => MONTH,
        "y" => YEAR,
        _ => return None,
    })
}

fn bits_per_second(unit: &str) -> Option<f64> {
    Some(match unit {
        "bps" => 1.0,
        "Kbps" | "kbps" => 1e3,
        "Mbps" => 1e6,
        "Gbps" => 1e9,
        "Tbps" => 1e12,
        _ => return None,
    })
}

/// Per second, for a count rate (`10k/s`, `100rps`).
fn count_rate(unit: &str) -> Option<f64> {
    if let Some(count) = unit
        .strip_suffix("rps")
        .or_else(|| unit.strip_suffix("qps"))
    {
        return magnitude(count);
    }
    let (count, period) = unit.split_once('/')?;
    Some(magnitude(count)? / rate_period(period)?)
}

/// US dollars per month, for money per month or per hour (`k/month`, `/h`).
fn money_rate(unit: &str) -> Option<f64> {
    let (amount, period) = unit.split_once('/')?;
    let per_month = match period {
        "month" => 1.0,
        "h" => MONTH / HOUR,
        _ => return None,
    };
    Some(magnitude(amount)? * per_month)
}

/// Bits per second, for a data rate (`5MB/s`).
fn data_rate(unit: &str) -> Option<f64> {
    let (size, period) = unit.split_once('/')?;
    Some(bytes(size)? * 8.0 / rate_period(period)?)
}

/// The value of `quantity` in the base unit of `dimension`: a plain number for counts
/// and factors, bytes, seconds, per second, a fraction (99.9% → 0.999), bits per second.
pub fn interpret(quantity: &Quantity, dimension: Dimension) -> Result<f64, UnitError> {
    let number = quantity.value();
    let unit = quantity.unit.as_str();
    // Money is written with `$` in front, and nothing else is.
    if quantity.money != (dimension == Dimension::Money) {
        return Err(if quantity.money {
            UnitError::WrongDimension(Dimension::Money)
        } else {
            dimension_of(unit).map_or(UnitError::Unknown, UnitError::WrongDimension)
        });
    }
    let scale = match dimension {
        Dimension::Count => magnitude(unit),
        Dimension::Size => bytes(unit),
        Dimension::Duration => seconds(unit),
        Dimension::Rate => count_rate(unit),
        Dimension::Percentage => (unit == "%").then_some(0.01),
        Dimension::Factor => (unit == "x").then_some(1.0),
        Dimension::Bandwidth => bits_per_second(unit).or_else(|| data_rate(unit)),
        Dimension::Money => money_rate(unit),
    };
    match scale {
        Some(scale) => Ok(number * scale),
        None if unit == "m" && dimension == Dimension::Duration => Err(UnitError::AmbiguousMinutes),
        None => Err(dimension_of(unit).map_or(UnitError::Unknown, UnitError::WrongDimension)),
    }
}

/// The dimension a unit belongs to, when it belongs to exactly one (used to say what
/// the user wrote when it does not fit).
pub fn dimension_of(unit: &str) -> Option<Dimension> {
    if unit.is_empty() {
        Some(Dimension::Count)
    } else if unit == "%" {
        Some(Dimension::Percentage)
    } else if unit == "x" {
        Some(Dimension::Factor)
    } else if bytes(unit).is_some() {
        Some(Dimension::Size)
    } else if seconds(unit).is_some() || unit == "m" {
        Some(Dimension::Duration)
    } else if count_rate(unit).is_some() {
        Some(Dimension::Rate)
    } else if bits_per_second(unit).is_some() || data_rate(unit).is_some() {
        Some(Dimension::Bandwidth)
    } else {
        None
    }
}

/// A duration written on the command line (`10min`, `1s`, `500ms`), in seconds.
pub fn parse_duration(text: &str) -> Option<f64> {
    let text = text.trim();
    let split = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let number: f64 = number.parse().ok()?;
    (number.is_finite()).then_some(())?;
    Some(number * seconds(unit)?)
}

#[cfg(test)]
mod tests {
    #[test]
    fn command_line_durations_read_as_seconds() {
        assert_eq!(super::parse_duration("10min"), Some(600.0));
        assert_eq!(super::parse_duration("500ms"), Some(0.5));
        assert_eq!(super::parse_duration("10"), None);
        assert_eq!(super::parse_duration("min"), None);
    }

    use super::*;

    fn q(number: &str, unit: &str) -> Quantity {
        Quantity {
            money: false,
            number: number.into(),
            unit: unit.into(),
        }
    }

    #[test]
    fn the_dimension_decides_what_b_means() {
        assert_eq!(interpret(&q("500", "B"), Dimension::Size), Ok(500.0));
        assert_eq!(interpret(&q("500", "B"), Dimension::Count), Ok(500e9));
    }

    #[test]
    fn rates_are_per_second() {
        assert_eq!(interpret(&q("10", "k/s"), Dimension::Rate), Ok(10_000.0));
        assert_eq!(interpret(&q("86400", "/day"), Dimension::Rate), Ok(1.0));
        assert_eq!(interpret(&q("100", "rps"), Dimension::Rate), Ok(100.0));
        assert_eq!(interpret(&q("5", "MB/s"), Dimension::Bandwidth), Ok(40e6));
    }

    #[test]
    fn minutes_must_be_spelled_out() {
        assert_eq!(
            interpret(&q("5", "m"), Dimension::Duration),
            Err(UnitError::AmbiguousMinutes)
        );
        assert_eq!(interpret(&q("5", "min"), Dimension::Duration), Ok(300.0));
    }

    #[test]
    fn a_unit_of_another_dimension_is_named() {
        assert_eq!(
            interpret(&q("5", "GB"), Dimension::Duration),
            Err(UnitError::WrongDimension(Dimension::Size))
        );
        assert_eq!(
            interpret(&q("5", "parsecs"), Dimension::Duration),
            Err(UnitError::Unknown)
        );
    }

    #[test]
    fn percentages_are_fractions() {
        assert_eq!(interpret(&q("50", "%"), Dimension::Percentage), Ok(0.5));
    }
}

//! Traffic shapes (docs/language.md, `traffic`): how a client's or a flow's rate moves over
//! a run, as a multiple of the peak rate the estimate uses.

use hld_model::{CallValue, Value, call, param};

/// A span of the run, in seconds from its start: `[start, end)`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Window {
    pub start: f64,
    pub end: f64,
}

impl Window {
    pub fn contains(self, t: f64) -> bool {
        self.start <= t && t < self.end
    }

    /// The smallest window holding both.
    pub fn hull(self, other: Window) -> Window {
        Window {
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }
}

/// A spike lasts a minute unless it says.
const SPIKE_LENGTH: f64 = 60.0;

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Shape {
    /// The peak rate throughout.
    Steady,
    /// From the average up to the peak at the middle of the run and back.
    Diurnal,
    /// From the peak to `to` × the peak over `over` seconds (the whole run by default),
    /// then level.
    Ramp { to: f64, over: Option<f64> },
    /// `factor` × the peak from `at` for `length` seconds.
    Spike { factor: f64, at: f64, length: f64 },
}

impl Shape {
    /// The shape a `traffic` value names.
    pub fn of(value: &Value) -> Shape {
        let (name, call) = match value {
            Value::Call(call) => (call.name, Some(call)),
            other => match other.bare_call() {
                Some(name) => (name, None),
                None => return Shape::Steady,
            },
        };
        let number = |call: Option<&CallValue>, p| call.and_then(|c| c.arg(p)?.as_f64());
        match name {
            call::Name::Diurnal => Shape::Diurnal,
            call::Name::Ramp => Shape::Ramp {
                to: number(call, param::TO).unwrap_or(1.0),
                over: number(call, param::OVER),
            },
            call::Name::Spike => Shape::Spike {
                factor: number(call, param::FACTOR).unwrap_or(1.0),
                at: number(call, param::AT).unwrap_or(0.0),
                length: number(call, param::FOR).unwrap_or(SPIKE_LENGTH),
            },
            _ => Shape::Steady,
        }
    }

    /// The multiple of the peak rate at `t` of a run of `duration` seconds, for a
    /// source whose average is `average_share` of its peak.
    pub fn factor(self, t: f64, duration: f64, average_share: f64) -> f64 {
        match self {
            Shape::Steady => 1.0,
            Shape::Diurnal => {
                let phase = (std::f64::consts::PI * t / duration.max(1e-9)).sin();
                average_share + (1.0 - average_share) * phase * phase
            }
            Shape::Ramp { to, over } => {
                let over = over.unwrap_or(duration).max(1e-9);
                1.0 + (to - 1.0) * (t / over).min(1.0)
            }
            Shape::Spike { factor, at, length } => {
                if at <= t && t < at + length {
                    factor
                } else {
                    1.0
                }
            }
        }
    }

    /// When the shape departs from the steady peak; `None` for steady. A ramp and a
    /// day never end within the run.
    pub fn window(self) -> Option<Window> {
        match self {
            Shape::Steady => None,
            Shape::Diurnal | Shape::Ramp { .. } => Some(Window {
                start: 0.0,
                end: f64::INFINITY,
            }),
            Shape::Spike { at, length, .. } => Some(Window {
                start: at,
                end: at + length,
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_spike_multiplies_the_peak_inside_its_window_only() {
        let spike = Shape::Spike {
            factor: 3.0,
            at: 120.0,
            length: 60.0,
        };
        assert_eq!(spike.factor(119.0, 600.0, 0.5), 1.0);
        assert_eq!(spike.factor(120.0, 600.0, 0.5), 3.0);
        assert_eq!(spike.factor(180.0, 600.0, 0.5), 1.0);
    }

    #[test]
    fn a_ramp_reaches_its_target_then_stays() {
        let ramp = Shape::Ramp {
            to: 3.0,
            over: Some(100.0),
        };
        assert_eq!(ramp.factor(50.0, 600.0, 0.5), 2.0);
        assert_eq!(ramp.factor(400.0, 600.0, 0.5), 3.0);
    }

    #[test]
    fn a_day_runs_from_the_average_to_the_peak_and_back() {
        assert!((Shape::Diurnal.factor(0.0, 600.0, 0.5) - 0.5).abs() < 1e-12);
        assert!((Shape::Diurnal.factor(300.0, 600.0, 0.5) - 1.0).abs() < 1e-12);
    }
}

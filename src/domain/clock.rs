//! Time as a value: the app never asks the system for the time inside `update`; the event loop
//! passes a [`Now`] in, and tests pass whatever they like.

use std::time::{Duration, Instant};

use jiff::Timestamp;

/// A moment as both a monotonic instant (for budgets and countdowns) and a wall-clock timestamp
/// (for what is written to disk).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Now {
    pub mono: Instant,
    pub wall: Timestamp,
}

impl Now {
    pub fn system() -> Self {
        Self {
            mono: Instant::now(),
            wall: Timestamp::now(),
        }
    }

    /// The same moment moved forward (test clocks and look-ahead).
    pub fn after(self, d: Duration) -> Self {
        let wall = jiff::SignedDuration::try_from(d)
            .ok()
            .and_then(|sd| self.wall.checked_add(sd).ok())
            .unwrap_or(self.wall);
        Self {
            mono: self.mono + d,
            wall,
        }
    }
}

/// `mm:ss`, or `h:mm:ss` from one hour.
pub fn fmt_clock(d: Duration) -> String {
    let s = d.as_secs();
    if s >= 3600 {
        format!("{}:{:02}:{:02}", s / 3600, (s / 60) % 60, s % 60)
    } else {
        format!("{:02}:{:02}", s / 60, s % 60)
    }
}

/// A step's countdown: time left, or time over budget.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Countdown {
    Left(Duration),
    Over(Duration),
}

impl Countdown {
    pub fn new(planned: Duration, elapsed: Duration) -> Self {
        if elapsed <= planned {
            Countdown::Left(planned - elapsed)
        } else {
            Countdown::Over(elapsed - planned)
        }
    }

    pub fn is_over(self) -> bool {
        matches!(self, Countdown::Over(_))
    }

    /// `04:59` while time is left, `+01:05` in overtime.
    pub fn label(self) -> String {
        match self {
            Countdown::Left(d) => fmt_clock(d),
            Countdown::Over(d) => format!("+{}", fmt_clock(d)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clock_formats() {
        assert_eq!(fmt_clock(Duration::from_secs(0)), "00:00");
        assert_eq!(fmt_clock(Duration::from_secs(299)), "04:59");
        assert_eq!(fmt_clock(Duration::from_secs(3725)), "1:02:05");
    }

    #[test]
    fn countdown_turns_into_overtime() {
        let p = Duration::from_secs(300);
        assert_eq!(Countdown::new(p, Duration::from_secs(1)).label(), "04:59");
        assert_eq!(Countdown::new(p, p).label(), "00:00");
        assert!(!Countdown::new(p, p).is_over());
        let c = Countdown::new(p, Duration::from_secs(365));
        assert!(c.is_over());
        assert_eq!(c.label(), "+01:05");
    }
}

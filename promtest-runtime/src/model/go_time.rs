//! Go's `time.Unix(sec, 0).UTC()` calendar fields, as Go computes them for every `int64`.
//!
//! Go counts seconds in a `uint64` from an "absolute zero" in the year -292277022399 and
//! wraps around: the very far past (PromQL's `minute(NaN)`, where Go's `int64(NaN)` is
//! `MinInt64` on amd64) lands near the end of the representable range, not on the proleptic
//! date. Within ±292 billion years the fields are the proleptic Gregorian ones.

const SECONDS_PER_DAY: u64 = 86_400;
const DAYS_PER_400_YEARS: u64 = 365 * 400 + 97;
const DAYS_PER_100_YEARS: u64 = 365 * 100 + 24;
const DAYS_PER_4_YEARS: u64 = 365 * 4 + 1;
const ABSOLUTE_ZERO_YEAR: i64 = -292_277_022_399;
/// `unixToInternal + internalToAbsolute`: Unix seconds to absolute seconds.
const UNIX_TO_ABSOLUTE: u64 = 9_223_372_028_715_321_600;
/// Days before each month in a non-leap year (Go's `daysBefore`).
const DAYS_BEFORE: [u32; 13] = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 365];

/// The UTC calendar fields of a Unix time, as Go's `time` package gives them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GoDate {
    /// `Year()`.
    pub year: i64,
    /// `Month()`, 1..=12.
    pub month: u32,
    /// `Day()`, 1..=31.
    pub day: u32,
    /// `YearDay()`, 1..=366.
    pub year_day: u32,
    /// `Weekday()`, 0 = Sunday.
    pub weekday: u32,
    /// `Hour()`.
    pub hour: u32,
    /// `Minute()`.
    pub minute: u32,
    /// `Second()`.
    pub second: u32,
}

/// Go's `isLeap`.
pub fn is_leap(year: i64) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

/// The fields of `time.Unix(secs, 0).UTC()`.
pub fn unix_date(secs: i64) -> GoDate {
    let abs = (secs as u64).wrapping_add(UNIX_TO_ABSOLUTE);
    let of_day = (abs % SECONDS_PER_DAY) as u32;
    // Go's absWeekday: the absolute zero is a Monday.
    let weekday =
        ((abs.wrapping_add(SECONDS_PER_DAY) % (7 * SECONDS_PER_DAY)) / SECONDS_PER_DAY) as u32;
    // Go's absDate: 400-, 100-, 4- and 1-year cycles.
    let mut d = abs / SECONDS_PER_DAY;
    let mut n = d / DAYS_PER_400_YEARS;
    let mut y = 400 * n;
    d -= DAYS_PER_400_YEARS * n;
    n = d / DAYS_PER_100_YEARS;
    n -= n >> 2;
    y += 100 * n;
    d -= DAYS_PER_100_YEARS * n;
    n = d / DAYS_PER_4_YEARS;
    y += 4 * n;
    d -= DAYS_PER_4_YEARS * n;
    n = d / 365;
    n -= n >> 2;
    y += n;
    d -= 365 * n;
    let year = (y as i64).wrapping_add(ABSOLUTE_ZERO_YEAR);
    let yday = d as u32;
    let (month, day) = month_day(year, yday);
    GoDate {
        year,
        month,
        day,
        year_day: yday + 1,
        weekday,
        hour: of_day / 3600,
        minute: of_day % 3600 / 60,
        second: of_day % 60,
    }
}

/// Month and day of the zero-based day `yday` of `year` (the tail of Go's `absDate`).
fn month_day(year: i64, yday: u32) -> (u32, u32) {
    let mut day = yday;
    if is_leap(year) {
        if day == 31 + 29 - 1 {
            return (2, 29);
        }
        if day > 31 + 29 - 1 {
            day -= 1;
        }
    }
    let mut month = (day / 31) as usize;
    let end = DAYS_BEFORE[month + 1];
    let begin = if day >= end {
        month += 1;
        end
    } else {
        DAYS_BEFORE[month]
    };
    (month as u32 + 1, day - begin + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_dates() {
        let d = unix_date(1_136_239_445); // 2006-01-02 22:04:05 UTC, a Monday
        assert_eq!(
            (d.year, d.month, d.day, d.hour, d.minute, d.second),
            (2006, 1, 2, 22, 4, 5)
        );
        assert_eq!((d.weekday, d.year_day), (1, 2));
        assert_eq!(unix_date(0).weekday, 4);
        assert_eq!(unix_date(-1).year, 1969);
        assert_eq!(unix_date(951_782_400).month, 2); // 2000-02-29
        assert_eq!(unix_date(951_782_400).day, 29);
        assert_eq!(unix_date(1_483_191_420).year_day, 366);
    }

    #[test]
    fn the_far_past_wraps_as_in_go() {
        // Go: time.Unix(math.MinInt64, 0).UTC() (PromQL's minute(NaN) on amd64).
        let d = unix_date(i64::MIN);
        assert_eq!((d.hour, d.minute, d.second), (15, 30, 8));
    }
}

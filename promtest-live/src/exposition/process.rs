//! The standard `process_*` metrics (CPU seconds, resident and virtual memory, start time, file
//! descriptors), read from `/proc` at each scrape; none where `/proc` is absent.

use super::registry::{FamilySnapshot, MetricKind, MetricSnapshot, MetricValue};

/// Linux's `USER_HZ`, the unit of the CPU times in `/proc/self/stat`.
const TICKS_PER_SECOND: f64 = 100.0;

fn family(name: &str, help: &str, kind: MetricKind, value: f64) -> FamilySnapshot {
    FamilySnapshot {
        name: name.to_string(),
        help: help.to_string(),
        kind,
        metrics: vec![MetricSnapshot {
            labels: Vec::new(),
            value: MetricValue::Number(value),
        }],
    }
}

/// `/proc/self/status` field `key` (in kB) as bytes.
fn status_bytes(status: &str, key: &str) -> Option<f64> {
    let line = status.lines().find(|l| l.starts_with(key))?;
    let kb: f64 = line[key.len()..]
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()?;
    Some(kb * 1024.0)
}

pub(super) fn collect() -> Vec<FamilySnapshot> {
    let mut out = Vec::new();
    if let Ok(stat) = std::fs::read_to_string("/proc/self/stat") {
        // Fields after the parenthesised command name, which may itself hold spaces.
        let fields: Vec<&str> = stat
            .rsplit_once(')')
            .map(|(_, rest)| rest.split_whitespace().collect())
            .unwrap_or_default();
        let num = |i: usize| fields.get(i).and_then(|f| f.parse::<f64>().ok());
        // After ")": state is index 0, so utime (field 14) is 11, stime 12, starttime (22) 19.
        if let (Some(u), Some(s)) = (num(11), num(12)) {
            out.push(family(
                "process_cpu_seconds_total",
                "Total user and system CPU time spent in seconds.",
                MetricKind::Counter,
                (u + s) / TICKS_PER_SECOND,
            ));
        }
        let boot_time = std::fs::read_to_string("/proc/stat").ok().and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("btime "))
                .and_then(|v| v.trim().parse::<f64>().ok())
        });
        if let (Some(start), Some(boot)) = (num(19), boot_time) {
            out.push(family(
                "process_start_time_seconds",
                "Start time of the process since unix epoch in seconds.",
                MetricKind::Gauge,
                boot + start / TICKS_PER_SECOND,
            ));
        }
    }
    if let Ok(status) = std::fs::read_to_string("/proc/self/status") {
        if let Some(rss) = status_bytes(&status, "VmRSS:") {
            out.push(family(
                "process_resident_memory_bytes",
                "Resident memory size in bytes.",
                MetricKind::Gauge,
                rss,
            ));
        }
        if let Some(vm) = status_bytes(&status, "VmSize:") {
            out.push(family(
                "process_virtual_memory_bytes",
                "Virtual memory size in bytes.",
                MetricKind::Gauge,
                vm,
            ));
        }
    }
    if let Ok(dir) = std::fs::read_dir("/proc/self/fd") {
        out.push(family(
            "process_open_fds",
            "Number of open file descriptors.",
            MetricKind::Gauge,
            dir.count() as f64,
        ));
    }
    if let Ok(limits) = std::fs::read_to_string("/proc/self/limits") {
        let max = limits
            .lines()
            .find(|l| l.starts_with("Max open files"))
            .and_then(|l| l.split_whitespace().nth(3))
            .and_then(|v| v.parse::<f64>().ok());
        if let Some(max) = max {
            out.push(family(
                "process_max_fds",
                "Maximum number of open file descriptors.",
                MetricKind::Gauge,
                max,
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_this_process() {
        let names: Vec<String> = collect().into_iter().map(|f| f.name).collect();
        if std::path::Path::new("/proc/self/stat").exists() {
            assert!(
                names.contains(&"process_cpu_seconds_total".to_string()),
                "{names:?}"
            );
            assert!(
                names.contains(&"process_resident_memory_bytes".to_string()),
                "{names:?}"
            );
        }
    }
}

//! Resident memory of this process, for the harness examples (Linux `/proc`; 0 elsewhere).

/// Current resident set size in KiB.
#[allow(dead_code)] // not every harness reports it
pub fn rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines().find(|l| l.starts_with("VmRSS:")).and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

/// Peak resident set size in KiB (`VmHWM`; 0 where `/proc` is absent).
#[allow(dead_code)] // not every harness reports the peak
pub fn peak_rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines().find(|l| l.starts_with("VmHWM:")).and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

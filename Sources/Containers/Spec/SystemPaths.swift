/// Docker's default fences around `/proc` and `/sys`: paths hidden from the container and paths it may
/// only read. `--privileged` drops both; `HostConfig.MaskedPaths`/`ReadonlyPaths` replace them.
enum SystemPaths {
    static let masked = [
        "/proc/asound", "/proc/acpi", "/proc/kcore", "/proc/keys", "/proc/latency_stats", "/proc/timer_list",
        "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi", "/sys/firmware", "/sys/devices/virtual/powercap",
    ]

    static let readonly = ["/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"]
}

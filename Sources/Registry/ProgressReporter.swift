/// Passes a transfer's byte count to a progress callback at most every 100 ms, and always at the end,
/// so that a download of many small chunks does not flood the client with progress lines.
struct ProgressReporter {
    static let interval: Duration = .milliseconds(100)

    let report: @Sendable (Int64) -> Void
    private var lastReport: ContinuousClock.Instant?

    init(_ report: @escaping @Sendable (Int64) -> Void) { self.report = report }

    /// Reports `done` unless a report went out less than `interval` ago.
    mutating func update(_ done: Int64) {
        let now = ContinuousClock.now
        if let lastReport, now - lastReport < Self.interval { return }
        lastReport = now
        report(done)
    }

    /// Reports the final count.
    mutating func finish(_ done: Int64) {
        lastReport = .now
        report(done)
    }
}

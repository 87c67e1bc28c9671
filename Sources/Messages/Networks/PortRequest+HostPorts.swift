extension PortRequest {
    /// The host ports `hostPort` allows: empty is `0` (an ephemeral port), else a port or a range
    /// `8000-8010`, each within 0…65535 and in order; nil otherwise (`99999`, `1-70000`, `9000-8000`, `-5`).
    public var hostPorts: ClosedRange<Int>? {
        if hostPort.isEmpty { return 0...0 }
        let bounds = hostPort.split(separator: "-", omittingEmptySubsequences: false).map { Int($0) }
        guard bounds.count <= 2, let first = bounds.first ?? nil, let last = bounds.last ?? nil, 0 <= first, first <= last, last <= 65535 else {
            return nil
        }
        return first...last
    }
}

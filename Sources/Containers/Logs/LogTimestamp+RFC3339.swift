import Messages

extension LogTimestamp {
    /// The instant in RFC 3339, UTC, with nanoseconds: fixed at nine digits as `docker logs --timestamps`
    /// prints it (`2026-11-29T05:14:33.120000000Z`), or with trailing zeros dropped as Go's `RFC3339Nano`
    /// and so json-file log entries write it (`2026-11-29T05:14:33.12Z`, no fraction at all when zero).
    public func rfc3339(fixedWidth: Bool) -> String {
        UnixTime.rfc3339(seconds: seconds, nanoseconds: Int(nanoseconds), fraction: fixedWidth ? .nanoseconds : .trimmed)
    }

    /// Parses RFC 3339 with an optional fraction and a `Z` or `±hh:mm` offset.
    public init?(rfc3339 text: String) {
        guard let nano = UnixTime.parseRFC3339(text) else { return nil }
        self.init(nano: nano)
    }
}

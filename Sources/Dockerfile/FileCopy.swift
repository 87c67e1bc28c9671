/// The operands of `COPY` and `ADD`: sources, destination and the flags the legacy builder honours.
/// An empty flag value (`--chown=`) is the same as no flag, as in dockerd.
public struct FileCopy: Sendable, Equatable {
    public var sources: [String]
    public var destination: String
    /// `--chown=user:group`.
    public var chown: String?
    /// `COPY --from=stage-or-image`; always nil for `ADD`. dockerd 20.10 does not expand it.
    public var from: String?

    public init(sources: [String], destination: String, chown: String? = nil, from: String? = nil) {
        self.sources = sources
        self.destination = destination
        self.chown = chown
        self.from = from
    }
}

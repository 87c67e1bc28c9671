import Messages

/// When a file driver starts a new file and how many it keeps: the live `<id>-….log` plus rotated
/// `.1` (newest) … `.<maxFiles-1>` (oldest), shifted by renames.
public struct LogRotation: Sendable, Hashable {
    /// The size in bytes at which the live file is rotated before the next entry; nil = never.
    public var maxSize: Int64?
    /// How many files to keep, the live one included; at least 1 (1 = the live file starts over).
    public var maxFiles: Int

    public init(maxSize: Int64?, maxFiles: Int) {
        self.maxSize = maxSize
        self.maxFiles = maxFiles
    }

    /// json-file's options and checks (`jsonfilelog.New`): `max-size` unset or `-1` = unlimited, `max-file`
    /// defaults to 1 and is ignored without `max-size`, as in dockerd.
    init(jsonFileOptions options: [String: String]) throws(EngineError) {
        var maxSize: Int64?
        if let text = options["max-size"], text != "-1" {
            guard let size = HumanSize.bytes(text) else { throw .invalidArgument("invalid size: '\(text)'") }
            guard size > 0 else { throw .invalidArgument("max-size must be a positive number") }
            maxSize = size
        }
        var maxFiles = 1
        if let text = options["max-file"] {
            guard let count = Int(text) else { throw .invalidArgument(GoSyntax.syntaxError("Atoi", text)) }
            guard count >= 1 else { throw .invalidArgument("max-file cannot be less than 1") }
            maxFiles = count
        }
        if let text = options["compress"] {
            guard let compress = GoSyntax.bool(text) else { throw .invalidArgument(GoSyntax.syntaxError("ParseBool", text)) }
            if compress, maxFiles == 1 || maxSize == nil {
                throw .invalidArgument("compress cannot be true when max-file is less than 2 or max-size is not set")
            }
        }
        self.init(maxSize: maxSize, maxFiles: maxFiles)
    }

    /// local's options and checks (`local.New`): 20 MiB and 5 files unless set; compression, on unless
    /// `compress=false` (as in dockerd, though Berth never compresses), needs more than one file.
    init(localOptions options: [String: String]) throws(EngineError) {
        var maxSize: Int64 = 20 * 1024 * 1024
        if let text = options["max-size"] {
            guard let size = HumanSize.bytes(text) else { throw .invalidArgument("invalid value for max-size: \(text): invalid size: '\(text)'") }
            guard size > 0 else { throw .invalidArgument("max size should be a positive number") }
            maxSize = size
        }
        var maxFiles = 5
        if let text = options["max-file"] {
            guard let count = Int(text) else {
                throw .invalidArgument("invalid value for max-file: \(text): " + GoSyntax.syntaxError("Atoi", text))
            }
            guard count >= 0 else { throw .invalidArgument("max file count cannot be less than 0") }
            maxFiles = max(count, 1)
        }
        var compress = true
        if let text = options["compress"] {
            guard let value = GoSyntax.bool(text) else {
                throw .invalidArgument("error reading compress log option: " + GoSyntax.syntaxError("ParseBool", text))
            }
            compress = value
        }
        if compress, maxFiles <= 1 {
            throw .invalidArgument("compression cannot be enabled when max file count is 1")
        }
        self.init(maxSize: maxSize, maxFiles: maxFiles)
    }
}

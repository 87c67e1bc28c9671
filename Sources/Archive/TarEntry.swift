/// One member of a tar archive: its header, after GNU long names and pax records have been applied.
///
/// `TarReader` produces entries and `TarWriter` consumes them. An entry carries metadata only; its
/// data is streamed through the reader or writer.
public struct TarEntry: Sendable, Hashable {
    /// What kind of file the entry describes.
    public enum Kind: Sendable, Hashable {
        /// A regular file (typeflag `0`, the old `\0`, or the contiguous file `7`).
        case file
        /// A hard link to the earlier member named by `linkName` (typeflag `1`).
        case hardlink
        /// A symbolic link whose target is `linkName` (typeflag `2`).
        case symlink
        /// A character device (typeflag `3`).
        case characterDevice
        /// A block device (typeflag `4`).
        case blockDevice
        /// A directory (typeflag `5`).
        case directory
        /// A named pipe (typeflag `6`).
        case fifo
        /// Any other typeflag, kept as its byte (for example GNU's `D`, `M` or `S`).
        case other(UInt8)

        /// Decodes a header's typeflag byte.
        public init(typeflag: UInt8) {
            switch typeflag {
            case UInt8(ascii: "0"), 0, UInt8(ascii: "7"): self = .file
            case UInt8(ascii: "1"): self = .hardlink
            case UInt8(ascii: "2"): self = .symlink
            case UInt8(ascii: "3"): self = .characterDevice
            case UInt8(ascii: "4"): self = .blockDevice
            case UInt8(ascii: "5"): self = .directory
            case UInt8(ascii: "6"): self = .fifo
            default: self = .other(typeflag)
            }
        }

        /// The typeflag byte written for this kind (`0` for a regular file).
        public var typeflag: UInt8 {
            switch self {
            case .file: UInt8(ascii: "0")
            case .hardlink: UInt8(ascii: "1")
            case .symlink: UInt8(ascii: "2")
            case .characterDevice: UInt8(ascii: "3")
            case .blockDevice: UInt8(ascii: "4")
            case .directory: UInt8(ascii: "5")
            case .fifo: UInt8(ascii: "6")
            case .other(let byte): byte
            }
        }

        /// Whether entries of this kind are followed by `size` bytes of data. Links, devices,
        /// directories and fifos never are, whatever their header's size field says.
        public var hasData: Bool {
            switch self {
            case .file, .other: true
            case .hardlink, .symlink, .characterDevice, .blockDevice, .directory, .fifo: false
            }
        }
    }

    /// The member's path: without leading `./` or trailing `/`; `.` for the archive's root.
    /// It is not checked for safety: pass it to `TarPath.safeRelative(_:)` before extracting.
    public var path: String
    public var kind: Kind
    /// Permission bits, including setuid, setgid and sticky (`0o7777` at most).
    public var mode: UInt32
    public var uid: Int
    public var gid: Int
    public var uname: String
    public var gname: String
    /// Bytes of data that follow the header; always 0 for kinds without data.
    public var size: Int64
    /// Modification time in seconds since the epoch (fractions from pax records are dropped).
    public var mtime: Int64
    /// The target of a symlink, or the member path a hard link points to; empty otherwise.
    public var linkName: String
    public var devMajor: Int
    public var devMinor: Int
    /// Extended attributes from `SCHILY.xattr.NAME` pax records, keyed by `NAME`. Values are raw
    /// bytes, since some (`security.capability`) are binary.
    public var xattrs: [String: [UInt8]]
    /// The entry's other pax records that have no field here (`atime`, `ctime`, `LIBARCHIVE.*`, …).
    public var paxRecords: [String: String]

    public init(
        path: String,
        kind: Kind,
        mode: UInt32 = 0o644,
        uid: Int = 0,
        gid: Int = 0,
        uname: String = "",
        gname: String = "",
        size: Int64 = 0,
        mtime: Int64 = 0,
        linkName: String = "",
        devMajor: Int = 0,
        devMinor: Int = 0,
        xattrs: [String: [UInt8]] = [:],
        paxRecords: [String: String] = [:]
    ) {
        self.path = path
        self.kind = kind
        self.mode = mode
        self.uid = uid
        self.gid = gid
        self.uname = uname
        self.gname = gname
        self.size = size
        self.mtime = mtime
        self.linkName = linkName
        self.devMajor = devMajor
        self.devMinor = devMinor
        self.xattrs = xattrs
        self.paxRecords = paxRecords
    }
}

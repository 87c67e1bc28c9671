/// The data of a pax extended header (`x` or `g`): records of the form `"%d %s=%s\n"`, where the
/// decimal length counts the whole record. Keys are UTF-8; values are kept as bytes because xattr
/// values may be binary.
enum PaxRecords {
    /// Keys that `TarReader` maps onto `TarEntry` fields and `TarWriter` writes from them.
    static let fieldKeys: Set<String> = ["path", "linkpath", "size", "uid", "gid", "mtime", "uname", "gname"]
    static let xattrPrefix = "SCHILY.xattr."

    /// Parses the records in order; a key that repeats is listed each time.
    static func parse(_ data: [UInt8]) throws -> [(key: String, value: [UInt8])] {
        var records: [(key: String, value: [UInt8])] = []
        var index = 0
        while index < data.count {
            // Some writers pad the data with NULs.
            if data[index] == 0, data[index...].allSatisfy({ $0 == 0 }) { break }
            var length = 0
            var cursor = index
            while cursor < data.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(data[cursor]) {
                length = length * 10 + Int(data[cursor] - UInt8(ascii: "0"))
                guard length <= data.count else { throw malformed() }
                cursor += 1
            }
            guard cursor > index, cursor < data.count, data[cursor] == UInt8(ascii: " "),
                  length > cursor - index + 1, index + length <= data.count,
                  data[index + length - 1] == UInt8(ascii: "\n")
            else { throw malformed() }
            let record = data[(cursor + 1)..<(index + length - 1)]
            guard let equals = record.firstIndex(of: UInt8(ascii: "=")), equals > record.startIndex else {
                throw malformed()
            }
            let key = String(decoding: record[..<equals], as: UTF8.self)
            records.append((key, Array(record[(equals + 1)...])))
            index += length
        }
        return records
    }

    /// Encodes records in the given order.
    static func encode(_ records: [(key: String, value: [UInt8])]) -> [UInt8] {
        var data: [UInt8] = []
        for (key, value) in records {
            let body = key.utf8.count + value.count + 3 // space, "=", newline
            var length = body + 1
            while length != body + String(length).utf8.count {
                length = body + String(length).utf8.count
            }
            data += Array("\(length) \(key)=".utf8)
            data += value
            data.append(UInt8(ascii: "\n"))
        }
        return data
    }

    /// Parses a decimal pax number (`size`, `uid`, `gid`).
    static func integer(_ value: [UInt8]) -> Int64? {
        Int64(String(decoding: value, as: UTF8.self))
    }

    /// Parses a pax time, `seconds[.fraction]`, possibly negative, rounding down to whole seconds.
    static func seconds(_ value: [UInt8]) -> Int64? {
        let text = String(decoding: value, as: UTF8.self)
        let parts = text.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard let whole = parts.first, !whole.isEmpty, whole != "-", let seconds = Int64(whole) else { return nil }
        guard parts.count == 2 else { return seconds }
        let fraction = parts[1]
        guard fraction.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        let isNegative = whole.hasPrefix("-")
        guard isNegative, fraction.contains(where: { $0 != "0" }) else { return seconds }
        let (floor, overflow) = seconds.subtractingReportingOverflow(1)
        return overflow ? nil : floor
    }

    private static func malformed() -> ArchiveError {
        ArchiveError.corrupt("malformed pax extended header")
    }
}

import Foundation

/// Reads a resolv.conf's `nameserver` and `options` lines (the host's, for containers and the
/// embedded DNS server).
public enum ResolvConf {
    public static func nameservers(path: String) -> [String] {
        guard let data = FileManager.default.contents(atPath: path) else { return [] }
        return nameservers(in: String(decoding: data, as: UTF8.self))
    }

    public static func nameservers(in text: String) -> [String] { values(of: "nameserver", in: text) }
    public static func options(in text: String) -> [String] { values(of: "options", in: text) }

    private static func values(of keyword: String, in text: String) -> [String] {
        text.split(separator: "\n").flatMap { line -> [String] in
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            return fields.first == Substring(keyword) ? fields.dropFirst().map(String.init) : []
        }
    }
}

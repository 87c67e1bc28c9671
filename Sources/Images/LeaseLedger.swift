import Foundation

/// The containerd leases the images child made and has not given back yet, one ID a line in a file
/// of the data root, so that the next incarnation gives back those an import cut by a crash left
/// (until then they keep their content from containerd's garbage collector).
struct LeaseLedger: Sendable {
    let path: String

    init(dataRoot: String) { path = dataRoot + "/image-leases" }

    /// The leases noted and not given back.
    func ids() -> [String] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").map(String.init)
    }

    /// Notes a lease just made.
    func add(_ id: String) throws {
        try write(ids() + [id])
    }

    /// Forgets a lease given back.
    func remove(_ id: String) throws {
        try write(ids().filter { $0 != id })
    }

    private func write(_ ids: [String]) throws {
        try Data(ids.map { $0 + "\n" }.joined().utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
    }
}

@testable import Containers

/// The input as a container's `/etc/passwd` and `/etc/group` (split at the first NUL byte), read as
/// `docker exec`, health checks and container start read them, and resolved for the users and groups
/// those commands name.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPasswdGroup(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(start: start, count: count)
    let split = bytes.firstIndex(of: 0) ?? bytes.endIndex
    let passwd = String(decoding: bytes[..<split], as: UTF8.self)
    let group = String(decoding: bytes[min(split + 1, bytes.endIndex)...], as: UTF8.self)
    let database = UserDatabase(passwd: passwd, group: group)
    var specs = ["", "root", "0", "0:0", "1000:1000", "root:root", "nobody:nogroup"]
    specs += (database.users ?? []).prefix(4).map(\.name)
    specs += (database.groups ?? []).prefix(4).map { "0:\($0.name)" }
    let groupAdd = (database.groups ?? []).prefix(4).map(\.name)
    for spec in specs {
        _ = try? UserResolver.resolve(user: spec, groupAdd: groupAdd, database: database)
    }
    return 0
}

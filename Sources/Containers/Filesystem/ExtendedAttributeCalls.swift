import Glibc

/// glibc's xattr calls, which the `Glibc` module does not import (`<sys/xattr.h>` is not in its
/// module map): looked up once by name in the loaded C library. When a symbol were missing, the
/// calls fail with `ENOTSUP`, as on a filesystem without xattrs.
enum ExtendedAttributeCalls {
    private typealias DescriptorGet = @convention(c) (Int32, UnsafePointer<CChar>, UnsafeMutableRawPointer?, Int) -> Int
    private typealias PathGet = @convention(c) (UnsafePointer<CChar>, UnsafePointer<CChar>, UnsafeMutableRawPointer?, Int) -> Int
    private typealias PathSet = @convention(c) (UnsafePointer<CChar>, UnsafePointer<CChar>, UnsafeRawPointer?, Int, Int32) -> Int32

    private static let fgetxattr: DescriptorGet? = symbol("fgetxattr")
    private static let lgetxattr: PathGet? = symbol("lgetxattr")
    private static let lsetxattr: PathSet? = symbol("lsetxattr")

    /// `fgetxattr(2)`: the attribute's size when `buffer` is nil, or -1 with `errno` set.
    static func get(descriptor: Int32, _ key: String, _ buffer: UnsafeMutableRawPointer?, _ size: Int) -> Int {
        guard let call = fgetxattr else { return unsupported() }
        return call(descriptor, key, buffer, size)
    }

    /// `lgetxattr(2)`: as `get(descriptor:…)`, for the entry at `path` itself.
    static func get(path: String, _ key: String, _ buffer: UnsafeMutableRawPointer?, _ size: Int) -> Int {
        guard let call = lgetxattr else { return unsupported() }
        return call(path, key, buffer, size)
    }

    /// `lsetxattr(2)`: 0, or -1 with `errno` set.
    static func set(path: String, _ key: String, _ value: UnsafeRawPointer?, _ size: Int) -> Int32 {
        guard let call = lsetxattr else { return Int32(unsupported()) }
        return call(path, key, value, size, 0)
    }

    private static func symbol<Function>(_ name: String) -> Function? {
        guard let address = dlsym(nil, name) else { return nil }
        return unsafeBitCast(address, to: Function.self)
    }

    private static func unsupported() -> Int {
        errno = ENOTSUP
        return -1
    }
}

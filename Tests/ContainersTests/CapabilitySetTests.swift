import Messages
import Testing

@testable import Containers

@Suite struct CapabilitySetTests {
    @Test func addAcceptsAnySpelling() throws {
        let spec = try SpecFixtures.spec { $1.CapAdd = ["net_admin", "CAP_SYS_PTRACE", "Sys_Admin"] }
        #expect(spec.process.capabilities.bounding == CapabilitySet.defaults + ["CAP_NET_ADMIN", "CAP_SYS_PTRACE", "CAP_SYS_ADMIN"])
    }

    @Test func dropRemovesFromDefaults() throws {
        let spec = try SpecFixtures.spec { _, hostConfig in
            hostConfig.CapDrop = ["chown", "CAP_NET_RAW"]
        }
        #expect(!spec.process.capabilities.bounding.contains("CAP_CHOWN"))
        #expect(!spec.process.capabilities.bounding.contains("CAP_NET_RAW"))
        #expect(spec.process.capabilities.bounding.count == 12)
    }

    @Test func allAddsEveryGrantableCapabilityLessDrops() throws {
        let added = try SpecFixtures.spec { _, hostConfig in
            hostConfig.CapAdd = ["ALL"]
            hostConfig.CapDrop = ["SYS_MODULE"]
        }
        #expect(added.process.capabilities.bounding == SpecHost.fixture.capabilities.filter { $0 != "CAP_SYS_MODULE" })
        let dropped = try SpecFixtures.spec { _, hostConfig in
            hostConfig.CapAdd = ["kill"]
            hostConfig.CapDrop = ["all"]
        }
        #expect(dropped.process.capabilities.bounding == ["CAP_KILL"])
    }

    @Test func unknownCapabilityIsRejectedInDockersWords() {
        #expect(SpecFixtures.message { _ = try SpecFixtures.spec { $1.CapAdd = ["foo"] } } == "unknown capability: \"CAP_FOO\"")
        #expect(SpecFixtures.message { _ = try SpecFixtures.spec { $1.CapDrop = ["12"] } } == "unknown capability: \"CAP_12\"")
        #expect(
            SpecFixtures.message { _ = try SpecFixtures.spec { $1.CapAdd = ["chown,kill"] } } == "unknown capability: \"CAP_CHOWN,KILL\"")
    }

    @Test func nonRootUserGetsOnlyTheBoundingSet() throws {
        let spec = try SpecFixtures.spec { config, _ in config.User = "1000:1000" }
        #expect(spec.process.capabilities.bounding == CapabilitySet.defaults)
        #expect(spec.process.capabilities.effective == nil)
        #expect(spec.process.capabilities.permitted == nil)
    }

    @Test func grantableListsWhatLibcapKnows() {
        let grantable = CapabilitySet.grantable()
        #expect(grantable.first == "CAP_CHOWN")
        #expect(grantable.contains("CAP_NET_ADMIN"))
        #expect(grantable.allSatisfy { $0.hasPrefix("CAP_") })
    }
}

import Agent
import Foundation
import Testing

@Suite("[agent] in config.toml")
struct AgentConfigurationTests {
    static func settings(_ text: String?) throws -> AgentSettings {
        let path = NSTemporaryDirectory() + "partner-config-\(UUID().uuidString).toml"
        defer { try? FileManager.default.removeItem(atPath: path) }
        if let text { try Data(text.utf8).write(to: URL(fileURLWithPath: path)) }
        return try AgentConfiguration.settings(environment: ["PARTNER_CONFIG": path, "HOME": "/nonexistent"])
    }

    @Test("set keys replace the defaults; other tables and a missing file change nothing")
    func readsSettings() throws {
        let settings = try Self.settings("[model]\nmodel = \"ollama:x\"\n\n[agent]\nmax_turns = 60\ntemperature = 0.1\nmax_tokens = 4096\nretrieve = 0\n")
        #expect(settings.maxTurns == 60)
        #expect(settings.temperature == 0.1)
        #expect(settings.maxTokens == 4096)
        #expect(settings.retrievedChunks == 0)
        #expect(try Self.settings("[model]\nmodel = \"ollama:x\"\n") == AgentSettings())
        #expect(try Self.settings(nil) == AgentSettings())
    }

    @Test("an unknown key, a wrong type or a value out of range is an error at its line and column")
    func errors() {
        #expect { try Self.settings("[agent]\nmax_turn = 3\n") } throws: { error in
            "\(error)".contains(":2:1: unknown key `max_turn` in [agent]") && "\(error)".contains("max_turns")
        }
        #expect { try Self.settings("[agent]\nmax_turns = \"many\"\n") } throws: { error in
            "\(error)".contains(":2:13: max_turns must be a whole number from 1 to 1000, found string")
        }
        #expect { try Self.settings("[agent]\nretrieve = 31\n") } throws: { error in
            "\(error)".contains("retrieve must be a whole number from 0 to 30")
        }
        #expect { try Self.settings("agent = 3\n") } throws: { error in
            "\(error)".contains("`agent` must be a table")
        }
    }
}

import PartnerCore
import Testing
@testable import Tools

@Suite("update_plan")
struct UpdatePlanToolTests {
    @Test("a plan is echoed with its marks and counted")
    func echoesPlan() async throws {
        let fixture = try ToolFixture()
        let result = try await fixture.call(UpdatePlanTool(), [
            "steps": [["step": "Find the bug", "status": "completed"], ["step": "Fix it", "status": "in_progress"],
                      ["step": "Run the tests", "status": "pending"]],
            "explanation": "found it",
        ])
        #expect(!result.isError)
        #expect(result.text == "Plan updated (found it):\n[x] Find the bug\n[>] Fix it\n[ ] Run the tests")
        #expect(result.data["completed"]?.numberValue == 1)
        #expect(result.data["total"]?.numberValue == 3)
    }

    @Test("two steps in progress, an empty step or an unknown status are errors for the model")
    func rejectsBadPlans() async throws {
        let fixture = try ToolFixture()
        let two = try await fixture.call(UpdatePlanTool(), ["steps": [["step": "a", "status": "in_progress"],
                                                                      ["step": "b", "status": "in_progress"]]])
        #expect(two.isError && two.text.contains("more than one step is in_progress"))
        let empty = try await fixture.call(UpdatePlanTool(), ["steps": [["step": "  ", "status": "pending"]]])
        #expect(empty.isError && empty.text.contains("every step needs a description"))
        let unknown = try await fixture.call(UpdatePlanTool(), ["steps": [["step": "a", "status": "done"]]])
        #expect(unknown.isError && unknown.text.contains("status"))
        let none = try await fixture.call(UpdatePlanTool(), ["steps": []])
        #expect(none.isError)
    }
}

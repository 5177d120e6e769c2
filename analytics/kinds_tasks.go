package analytics

// The 督办 kinds: tasks, their extension requests, and the dated reform
// targets (README "Tasks and targets").

// taskSources are the canonical task sources and their Chinese spellings.
var taskSources = enum(
	[]string{"leader_instruction", "领导批示", "批示", "领导交办"},
	[]string{"key_work", "重点工作", "重点任务"},
	[]string{"meeting_decision", "会议议定", "会议议定事项", "会议决定"},
)

// TaskSourceName is the Chinese name of a canonical task source.
var TaskSourceName = map[string]string{
	"leader_instruction": "领导批示", "key_work": "重点工作", "meeting_decision": "会议议定",
}

func tasksKind() *Kind {
	return &Kind{Name: "tasks", Files: []string{"tasks", "督办事项", "督办任务", "督办台账", "督办"},
		Columns: []Column{
			{Name: "task_id", Aliases: []string{"事项编号", "督办编号", "任务编号"}, Type: ID, Required: true},
			{Name: "title", Aliases: []string{"事项名称", "督办事项", "任务名称"}, Type: Text, Required: true},
			{Name: "source", Aliases: []string{"来源", "事项来源"}, Type: Enum, Required: true, Values: taskSources},
			{Name: "lead_unit_id", Aliases: []string{"牵头单位", "责任单位"}, Type: ID, Required: true, Ref: "units"},
			{Name: "cooperating_unit_ids", Aliases: []string{"配合单位", "协办单位"}, Type: List, Ref: "units"},
			{Name: "assigned_on", Aliases: []string{"交办日期", "交办时间"}, Type: Date, Required: true},
			{Name: "due_on", Aliases: []string{"办结时限", "完成时限", "截止日期"}, Type: Date},
			{Name: "due_days", Aliases: []string{"办理时限", "时限天数"}, Type: Int, Min: zero},
			{Name: "due_unit", Aliases: []string{"时限单位"}, Type: Enum,
				Values: enum([]string{"working", "工作日"}, []string{"calendar", "自然日", "日历日"})},
			{Name: "status", Aliases: []string{"状态", "办理状态"}, Type: Enum, Required: true,
				Values: enum([]string{"open", "在办", "办理中", "未办结"}, []string{"done", "办结", "已办结", "销号", "已销号"})},
			{Name: "done_on", Aliases: []string{"办结日期", "办结时间", "销号日期"}, Type: Date},
			{Name: "evidence", Aliases: []string{"办结材料", "佐证材料", "办理情况"}, Type: Text},
		},
		Key: []string{"task_id"},
		Checks: []Check{
			{Column: "due_on", Bad: `s."due_on__raw" IS NULL AND s."due_days__raw" IS NULL`, Msg: `'missing value (give due_on or due_days)'`},
			{Column: "due_on", Bad: `s."due_on__raw" IS NOT NULL AND s."due_days__raw" IS NOT NULL`, Msg: `'give due_on or due_days, not both'`},
			{Column: "due_on", Bad: `s.due_on < s.assigned_on`, Msg: `strftime(s.due_on, '%Y-%m-%d') || ' is before assigned_on'`},
			{Column: "due_unit", Bad: `s."due_days__raw" IS NOT NULL AND s."due_unit__raw" IS NULL`, Msg: `'missing value (due_days is given: working or calendar)'`},
			{Column: "due_unit", Bad: `s."due_days__raw" IS NULL AND s."due_unit__raw" IS NOT NULL`, Msg: `'only with due_days'`},
			{Column: "done_on", Bad: `s.status = 'done' AND s."done_on__raw" IS NULL`, Msg: `'missing value (status is done)'`},
			{Column: "done_on", Bad: `s.status = 'open' AND s."done_on__raw" IS NOT NULL`, Msg: `'must be empty while status is open'`},
			{Column: "done_on", Bad: `s.done_on < s.assigned_on`, Msg: `strftime(s.done_on, '%Y-%m-%d') || ' is before assigned_on'`},
			{Column: "cooperating_unit_ids", Bad: `list_contains(s.cooperating_unit_ids, s.lead_unit_id)`, Msg: `s.lead_unit_id || ' is the lead unit'`},
		}}
}

func taskExtensionsKind() *Kind {
	return &Kind{Name: "task_extensions", Files: []string{"task_extensions", "延期申请", "督办延期", "延期事项"},
		Columns: []Column{
			{Name: "task_id", Aliases: []string{"事项编号", "督办编号", "任务编号"}, Type: ID, Required: true},
			{Name: "requested_on", Aliases: []string{"申请日期", "申请时间"}, Type: Date, Required: true},
			{Name: "new_due_on", Aliases: []string{"延期至", "新办结时限", "延期后时限"}, Type: Date, Required: true},
			{Name: "reason", Aliases: []string{"延期理由", "理由", "原因"}, Type: Text, Required: true},
			{Name: "approved", Aliases: []string{"是否批准", "审批结果", "批准"}, Type: Bool, Required: true},
		},
		Key:       []string{"task_id", "requested_on"},
		ExtraJoin: `LEFT JOIN (SELECT task_id, assigned_on FROM tasks) r_task ON r_task.task_id = s.task_id`,
		Checks: []Check{
			{Column: "task_id", Bad: `s.task_id IS NOT NULL AND r_task.task_id IS NULL`, Msg: `'unknown task ' || s.task_id`},
			{Column: "requested_on", Bad: `s.requested_on < r_task.assigned_on`, Msg: `strftime(s.requested_on, '%Y-%m-%d') || ' is before the task was assigned (' || strftime(r_task.assigned_on, '%Y-%m-%d') || ')'`},
			{Column: "new_due_on", Bad: `s.new_due_on <= s.requested_on`, Msg: `strftime(s.new_due_on, '%Y-%m-%d') || ' is not after requested_on'`},
		}}
}

// targetIndicators are the rates a target may name, with the Chinese names
// used in the seed documents: the scheme's rate indicators and 一次性办结率
// (FirstContactRate). 网上可办率 (the share of matters that can be handled
// online) is not 网上办理率 (the share of cases handled online) and cannot be
// computed from the cases: a target naming it is refused.
var targetIndicators = enum(
	[]string{"on_time_rate", "按时办结率", "办件按时办结率"},
	[]string{"online_rate", "网上办理率", "网办率"},
	[]string{"one_visit_rate", "最多跑一次率", "最多跑一次", "一次办结率"},
	[]string{"instant_rate", "即办率", "即办件比例"},
	[]string{"complaint_on_time_rate", "诉求按时办结率", "诉求按期办结率"},
	[]string{"resolution_rate", "解决率", "诉求解决率"},
	[]string{"satisfaction_rate", "满意率", "诉求满意率", "事项办理满意率"},
	[]string{FirstContactRate, "一次性办结率", "初信初访一次性办结率"},
)

// unavailableIndicator is the refusal of a target naming 网上可办率.
const unavailableIndicator = `'网上可办率(可在网上办理的事项占全部事项的比例)无法由办件数据计算:本系统计算的是网上办理率(网上和移动端受理的办件占全部办件的比例,online_rate)。如目标确为网上办理率,请将指标改为“网上办理率”'`

func targetsKind() *Kind {
	return &Kind{Name: "targets", Files: []string{"targets", "目标任务", "改革目标", "目标任务清单"},
		Columns: []Column{
			{Name: "target_id", Aliases: []string{"目标编号"}, Type: ID, Required: true},
			{Name: "name", Aliases: []string{"目标名称", "目标任务"}, Type: Text, Required: true},
			{Name: "indicator", Aliases: []string{"指标"}, Type: Enum, Required: true, Values: targetIndicators},
			{Name: "scope", Aliases: []string{"范围", "责任单位"}, Type: ID, Required: true},
			{Name: "value", Aliases: []string{"目标值"}, Type: Number, Required: true, Min: zero, Max: f(1)},
			{Name: "start_month", Aliases: []string{"起始月份"}, Type: Month, Default: `strftime(s.due_on, '%Y') || '-01'`},
			{Name: "due_on", Aliases: []string{"完成时限", "截止日期"}, Type: Date, Required: true},
		},
		Key:       []string{"target_id"},
		ExtraJoin: `LEFT JOIN units r_scope ON r_scope.unit_id = s.scope`,
		Checks: []Check{
			{Column: "scope", Bad: `s.scope IS NOT NULL AND s.scope <> 'city' AND r_scope.unit_id IS NULL`,
				Msg: `'unknown unit ' || s.scope || ' (city for the whole city)'`},
			{Column: "start_month", Bad: `s.start_month > strftime(s.due_on, '%Y-%m')`, Msg: `s.start_month || ' is after the month of due_on'`},
			{Column: "indicator", Bad: `replace(s."indicator__raw", ' ', '') IN ('网上可办率', '网上可办比例')`, Msg: unavailableIndicator},
		}}
}

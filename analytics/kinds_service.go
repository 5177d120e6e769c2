package analytics

// The service kinds: cases, complaints, surveys, deductions, documents.

func casesKind() *Kind {
	return &Kind{Name: "cases", Files: []string{"cases", "办件", "政务服务办件", "办件数据"},
		Columns: []Column{
			{Name: "case_id", Aliases: []string{"办件编号"}, Type: ID, Required: true},
			{Name: "unit_id", Aliases: []string{"单位编码", "办理单位"}, Type: ID, Required: true, Ref: "units"},
			{Name: "item_code", Aliases: []string{"事项编码"}, Type: ID, Required: true},
			{Name: "item_name", Aliases: []string{"事项名称"}, Type: Text},
			{Name: "channel", Aliases: []string{"渠道", "办理渠道"}, Type: Enum, Required: true,
				Values: enum([]string{"online", "网上", "网上办理", "网办"}, []string{"window", "窗口", "窗口办理"},
					[]string{"mobile", "移动端", "掌上办", "app"}, []string{"self_service", "自助", "自助终端", "self-service"})},
			{Name: "received_at", Aliases: []string{"受理时间"}, Type: DateTime, Required: true},
			{Name: "completed_at", Aliases: []string{"办结时间"}, Type: DateTime},
			{Name: "promised_days", Aliases: []string{"承诺时限", "承诺办结时限"}, Type: Int, Required: true, Min: zero},
			{Name: "visits", Aliases: []string{"跑动次数"}, Type: Int, Required: true, Min: zero},
			{Name: "status", Aliases: []string{"状态", "办件状态"}, Type: Enum, Required: true,
				Values: enum([]string{"completed", "办结", "已办结"}, []string{"pending", "在办", "办理中"}, []string{"returned", "退回", "已退回"})},
		},
		Key: []string{"case_id"},
		Checks: []Check{
			{Column: "completed_at", Bad: `s.completed_at < s.received_at`, Msg: `strftime(s.completed_at, '%Y-%m-%d %H:%M:%S') || ' is before received_at'`},
			{Column: "completed_at", Bad: `s.status = 'completed' AND s.completed_at IS NULL AND s."completed_at__raw" IS NULL`, Msg: `'missing value (status is completed)'`},
		}}
}

func complaintsKind() *Kind {
	return &Kind{Name: "complaints", Files: []string{"complaints", "诉求", "投诉", "诉求办理", "12345"},
		Columns: []Column{
			{Name: "complaint_id", Aliases: []string{"诉求编号", "投诉编号"}, Type: ID, Required: true},
			{Name: "unit_id", Aliases: []string{"承办单位", "单位编码"}, Type: ID, Required: true, Ref: "units"},
			{Name: "source", Aliases: []string{"来源"}, Type: Enum, Required: true,
				Values: enum([]string{"hotline", "12345热线", "12345", "热线"}, []string{"petition", "信访"},
					[]string{"efficiency", "效能投诉"}, []string{"online", "网络问政"})},
			{Name: "received_at", Aliases: []string{"受理时间"}, Type: DateTime, Required: true},
			{Name: "responded_at", Aliases: []string{"首次响应时间"}, Type: DateTime},
			{Name: "closed_at", Aliases: []string{"办结时间"}, Type: DateTime},
			{Name: "due_days", Aliases: []string{"办理时限"}, Type: Int, Min: zero,
				Default: `CASE s.source WHEN 'petition' THEN 60 WHEN 'efficiency' THEN 10 ELSE 15 END`},
			{Name: "due_unit", Aliases: []string{"时限单位"}, Type: Enum,
				Values:  enum([]string{"working", "工作日"}, []string{"calendar", "自然日", "日历日"}),
				Default: `CASE s.source WHEN 'petition' THEN 'calendar' ELSE 'working' END`},
			{Name: "resolved", Aliases: []string{"是否解决"}, Type: Bool},
			{Name: "satisfaction", Aliases: []string{"满意度"}, Type: Enum,
				Values: enum([]string{"very_satisfied", "非常满意"}, []string{"satisfied", "满意"}, []string{"basic", "基本满意", "basically_satisfied"},
					[]string{"unsatisfied", "不满意"}, []string{"very_unsatisfied", "非常不满意"})},
			{Name: "substantiated", Aliases: []string{"是否查实"}, Type: Bool},
			{Name: "first_contact", Aliases: []string{"一次性办结"}, Type: Bool},
		},
		Key: []string{"complaint_id"},
		Checks: []Check{
			{Column: "closed_at", Bad: `s.closed_at < s.received_at`, Msg: `strftime(s.closed_at, '%Y-%m-%d %H:%M:%S') || ' is before received_at'`},
			{Column: "responded_at", Bad: `s.responded_at < s.received_at`, Msg: `strftime(s.responded_at, '%Y-%m-%d %H:%M:%S') || ' is before received_at'`},
		}}
}

func surveysKind() *Kind {
	return &Kind{Name: "surveys", Files: []string{"surveys", "测评", "满意度测评", "问卷"},
		Columns: []Column{
			{Name: "response_id", Aliases: []string{"问卷编号"}, Type: ID, Required: true},
			{Name: "unit_id", Aliases: []string{"单位编码", "被测评单位"}, Type: ID, Required: true, Ref: "units"},
			{Name: "survey", Aliases: []string{"测评名称"}, Type: Text, Required: true},
			{Name: "respondent_type", Aliases: []string{"测评主体"}, Type: Enum, Required: true,
				Values: enum([]string{"enterprise", "企业"}, []string{"citizen", "群众"}, []string{"deputy", "代表委员", "人大代表、政协委员"}, []string{"other", "其他"})},
			{Name: "dimension", Aliases: []string{"维度"}, Type: Text},
			{Name: "score", Aliases: []string{"评分", "得分"}, Type: Number, Required: true, Min: zero, Max: hundred},
			{Name: "answered_at", Aliases: []string{"测评日期"}, Type: Date, Required: true},
		},
		Key: []string{"response_id"}}
}

func deductionsKind() *Kind {
	return &Kind{Name: "deductions", Files: []string{"deductions", "扣分", "扣分情况"},
		Columns: []Column{
			{Name: "deduction_id", Aliases: []string{"编号", "扣分编号"}, Type: ID, Required: true},
			{Name: "unit_id", Aliases: []string{"单位编码"}, Type: ID, Required: true, Ref: "units"},
			{Name: "date", Aliases: []string{"日期"}, Type: Date, Required: true},
			{Name: "points", Aliases: []string{"扣分"}, Type: Number, Required: true, Positive: true},
			{Name: "reason", Aliases: []string{"事由"}, Type: Text, Required: true},
		},
		Key: []string{"deduction_id"},
		// DB- ids are written only by confirming a suggested 督办 deduction
		// (task_deductions.go): a file may neither replace nor forge one.
		Checks: []Check{{Column: "deduction_id", Bad: `starts_with(s.deduction_id, 'DB-')`,
			Msg: `left(s.deduction_id, 60) || ' uses the DB- prefix reserved for confirmed 督办 deductions (督办扣分); use another id'`}}}
}

func documentsKind() *Kind {
	return &Kind{Name: "documents", Files: []string{"documents", "公文", "公文流转", "文件流转"},
		Columns: []Column{
			{Name: "doc_id", Aliases: []string{"文号"}, Type: ID, Required: true, Freeform: true},
			{Name: "unit_id", Aliases: []string{"单位编码"}, Type: ID, Required: true, Ref: "units"},
			{Name: "step", Aliases: []string{"环节"}, Type: Enum, Required: true,
				Values: enum([]string{"register", "登记"}, []string{"send", "发送"}, []string{"receive", "签收"},
					[]string{"feedback", "反馈"}, []string{"deliver", "送达"}, []string{"evaluate", "评价"})},
			{Name: "started_at", Aliases: []string{"开始时间"}, Type: DateTime, Required: true},
			{Name: "finished_at", Aliases: []string{"完成时间"}, Type: DateTime},
			{Name: "evaluation", Aliases: []string{"评价"}, Type: Enum,
				Values: enum([]string{"resolved", "已解决"}, []string{"unresolved", "未解决"})},
		},
		Key: []string{"doc_id", "step"},
		Checks: []Check{{Column: "finished_at", Bad: `s.finished_at < s.started_at`,
			Msg: `strftime(s.finished_at, '%Y-%m-%d %H:%M:%S') || ' is before started_at'`}}}
}

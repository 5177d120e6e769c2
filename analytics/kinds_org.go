package analytics

// The organisation kinds: units, work groups, evaluators, peer scores, holidays.

func holidaysKind() *Kind {
	return &Kind{Name: "holidays", Files: []string{"holidays", "节假日", "法定节假日", "调休"},
		Columns: []Column{
			{Name: "date", Aliases: []string{"日期"}, Type: Date, Required: true},
			{Name: "kind", Aliases: []string{"类型"}, Type: Enum, Required: true,
				Values: enum([]string{"holiday", "休", "假", "休息日", "节假日"}, []string{"workday", "班", "上班", "调休上班", "工作日"})},
			{Name: "name", Aliases: []string{"名称"}, Type: Text},
		},
		Key: []string{"date"}}
}

func unitsKind() *Kind {
	return &Kind{Name: "units", Files: []string{"units", "单位", "被考评单位", "单位名单"},
		Columns: []Column{
			{Name: "unit_id", Aliases: []string{"单位编码", "单位编号"}, Type: ID, Required: true},
			{Name: "name", Aliases: []string{"单位名称"}, Type: Text, Required: true},
			{Name: "kind", Aliases: []string{"类型", "单位类型"}, Type: Enum, Required: true,
				Values: enum([]string{"department", "市直部门", "部门", "市直单位"}, []string{"county", "县市区", "县(市、区)", "县区", "县(市)区"})},
			{Name: "category", Aliases: []string{"考评类别", "类别"}, Type: Text, Required: true},
		},
		Key: []string{"unit_id"}}
}

func workGroupsKind() *Kind {
	return &Kind{Name: "work_groups", Files: []string{"work_groups", "workgroups", "groups", "重点工作", "工作分组"},
		Columns: []Column{
			{Name: "group_id", Aliases: []string{"工作编号"}, Type: ID, Required: true},
			{Name: "name", Aliases: []string{"重点工作", "工作名称"}, Type: Text, Required: true},
			{Name: "lead_unit_id", Aliases: []string{"牵头单位"}, Type: ID, Required: true, Ref: "units"},
			{Name: "member_unit_ids", Aliases: []string{"责任单位"}, Type: List, Required: true, Ref: "units"},
		},
		Key: []string{"group_id"}}
}

func evaluatorsKind() *Kind {
	return &Kind{Name: "evaluators", Files: []string{"evaluators", "评议人", "评议人员"},
		Columns: []Column{
			{Name: "evaluator_id", Aliases: []string{"评议人编码", "评议人编号"}, Type: ID, Required: true},
			{Name: "name", Aliases: []string{"姓名"}, Type: Text, Required: true},
			{Name: "class", Aliases: []string{"类别", "评议人类别"}, Type: Enum, Required: true,
				Values: enum([]string{"leader", "牵头市领导", "市领导"}, []string{"lead_head", "牵头部门主要负责人"}, []string{"member_head", "责任部门主要负责人"})},
			{Name: "unit_id", Aliases: []string{"所在单位"}, Type: ID, Ref: "units"},
			{Name: "group_ids", Aliases: []string{"参与工作"}, Type: List, Required: true, Ref: "work_groups"},
		},
		Key: []string{"evaluator_id"},
		Checks: []Check{{Column: "unit_id", Bad: `s.unit_id IS NULL AND s.class <> 'leader'`,
			Msg: `'missing value (required for ' || s.class || ')'`}}}
}

func peerScoresKind() *Kind {
	return &Kind{Name: "peer_scores", Files: []string{"peer_scores", "peerscores", "评议打分", "评议得分", "效能评议", "评分"},
		Columns: []Column{
			{Name: "round", Aliases: []string{"轮次"}, Type: Round, Required: true},
			{Name: "evaluator_id", Aliases: []string{"评议人编码", "评议人"}, Type: ID, Required: true, Ref: "evaluators"},
			{Name: "unit_id", Aliases: []string{"单位编码", "被评单位"}, Type: ID, Required: true, Ref: "units"},
			{Name: "group_id", Aliases: []string{"工作编号"}, Type: ID, Required: true, Ref: "work_groups"},
			{Name: "score", Aliases: []string{"评分", "分数"}, Type: Number, Required: true, Min: zero, Max: hundred},
			{Name: "comment", Aliases: []string{"意见", "评议意见"}, Type: Text},
		},
		Key: []string{"round", "evaluator_id", "unit_id", "group_id"},
		Checks: []Check{
			{Column: "unit_id", Bad: `r_evaluator_id.unit_id = s.unit_id`,
				Msg: `'evaluator ' || s.evaluator_id || ' may not score their own unit ' || s.unit_id`},
			{Column: "group_id", Bad: `r_evaluator_id.evaluator_id IS NOT NULL AND r_group_id.group_id IS NOT NULL AND NOT list_contains(r_evaluator_id.group_ids, s.group_id)`,
				Msg: `'evaluator ' || s.evaluator_id || ' does not belong to group ' || s.group_id`},
			{Column: "unit_id", Bad: `r_group_id.group_id IS NOT NULL AND r_unit_id.unit_id IS NOT NULL AND r_group_id.lead_unit_id <> s.unit_id AND NOT list_contains(r_group_id.member_unit_ids, s.unit_id)`,
				Msg: `'unit ' || s.unit_id || ' is not in group ' || s.group_id`},
		}}
}

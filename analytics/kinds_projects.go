package analytics

// The key-project kinds: projects, their monthly progress, signed projects.

func projectsKind() *Kind {
	return &Kind{Name: "projects", Files: []string{"projects", "重点项目", "项目"},
		Columns: []Column{
			{Name: "project_id", Aliases: []string{"项目编号"}, Type: ID, Required: true},
			{Name: "name", Aliases: []string{"项目名称"}, Type: Text, Required: true},
			{Name: "unit_id", Aliases: []string{"所在县区", "单位编码"}, Type: ID, Required: true, Ref: "counties"},
			{Name: "level", Aliases: []string{"级别"}, Type: Enum, Required: true,
				Values: enum([]string{"province", "省重点", "省级"}, []string{"city", "市重点", "市级"})},
			{Name: "year", Aliases: []string{"年度"}, Type: Int, Required: true, Min: f(2000), Max: f(2100)},
			{Name: "annual_plan", Aliases: []string{"年度计划投资"}, Type: Number, Required: true, Min: zero},
			{Name: "land_need_mu", Aliases: []string{"用地需求"}, Type: Number, Required: true, Min: zero},
			{Name: "planned_start", Aliases: []string{"计划开工日期"}, Type: Date, Required: true},
			{Name: "industry", Aliases: []string{"产业"}, Type: Text},
		},
		Key: []string{"project_id", "year"}}
}

func progressKind() *Kind {
	return &Kind{Name: "project_progress", Files: []string{"project_progress", "progress", "项目进度", "重点项目进度", "项目进展"},
		Columns: []Column{
			{Name: "project_id", Aliases: []string{"项目编号"}, Type: ID, Required: true},
			{Name: "month", Aliases: []string{"月份"}, Type: Month, Required: true},
			{Name: "investment_ytd", Aliases: []string{"年度累计完成投资"}, Type: Number, Required: true, Min: zero},
			{Name: "land_supplied_mu", Aliases: []string{"累计供地"}, Type: Number, Required: true, Min: zero},
			{Name: "started_on", Aliases: []string{"实际开工日期"}, Type: Date},
		},
		Key:       []string{"project_id", "month"},
		ExtraJoin: `LEFT JOIN (SELECT DISTINCT project_id, year FROM projects) r_project ON r_project.project_id = s.project_id AND r_project.year = CAST(left(s.month, 4) AS INTEGER)`,
		Checks: []Check{{Column: "project_id", Bad: `s.month IS NOT NULL AND r_project.project_id IS NULL`,
			Msg: `'unknown project ' || s.project_id || ' in year ' || left(s.month, 4)`}}}
}

func signedKind() *Kind {
	return &Kind{Name: "signed_projects", Files: []string{"signed_projects", "signed", "签约项目", "招商项目", "招商引资"},
		Columns: []Column{
			{Name: "project_id", Aliases: []string{"项目编号"}, Type: ID, Required: true},
			{Name: "unit_id", Aliases: []string{"所在县区", "单位编码"}, Type: ID, Required: true, Ref: "counties"},
			{Name: "name", Aliases: []string{"项目名称"}, Type: Text, Required: true},
			{Name: "signed_on", Aliases: []string{"签约日期"}, Type: Date, Required: true},
			{Name: "amount", Aliases: []string{"签约额"}, Type: Number, Required: true, Min: zero},
			{Name: "landed_on", Aliases: []string{"落地日期"}, Type: Date},
		},
		Key: []string{"project_id"},
		Checks: []Check{{Column: "landed_on", Bad: `s.landed_on < s.signed_on`,
			Msg: `strftime(s.landed_on, '%Y-%m-%d') || ' is before signed_on'`}}}
}

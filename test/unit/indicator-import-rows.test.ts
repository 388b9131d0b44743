import { describe, expect, it } from 'vitest';
import type { Indicator } from '../../services/indicators/domain/indicator.ts';
import { indicatorsToCsv } from '../../services/indicators/domain/export.ts';
import { MAX_IMPORT_ROWS, rowsFromCsv, rowsFromJson } from '../../services/indicators/domain/import-rows.ts';

const HEADER = 'code,name,level1,level2,operator,unit,basis,explanation,dataSource,scoringRule,scope,sector,spendingTypes';
const good = (code: string) => `${code},培训人次,output,quantity,gte,人次,plan,,,,common,,project`;
const csv = (...lines: string[]) => `${[HEADER, ...lines].join('\r\n')}\r\n`;

describe('rowsFromCsv', () => {
  it('turns a row written with codes into a draft', () => {
    const { valid, invalid } = rowsFromCsv(csv(good('CM-001')));
    expect(invalid).toEqual([]);
    expect(valid).toEqual([
      {
        line: 2,
        draft: { code: 'CM-001', name: '培训人次', level1: 'output', level2: 'quantity', operator: 'gte', unit: '人次', basis: 'plan', scope: 'common', spendingTypes: ['project'] },
      },
    ]);
  });

  it('reads Chinese labels as the same codes', () => {
    const labels = rowsFromCsv(csv('X-1,受益人口满意度,满意度指标,服务对象满意度,≥（正向指标）,%,计划标准,,,,个性指标,education,项目支出、转移支付'));
    const short = rowsFromCsv(csv('X-1,受益人口满意度,满意度,服务对象满意度指标,>=,%,计划,,,,个性,education,项目|transfer_payment'));
    const codes = rowsFromCsv(csv('X-1,受益人口满意度,satisfaction,service_satisfaction,gte,%,plan,,,,individual,education,project;transfer_payment'));
    expect(labels.invalid).toEqual([]);
    expect(labels.valid).toEqual(codes.valid);
    expect(short.valid).toEqual(codes.valid);
  });

  it('maps every operator spelling to its code', () => {
    const operators = ['≥', '>=', '≤', '<=', '=', '＝', '定性'].map((op) => {
      const { valid } = rowsFromCsv(csv(`,名称,output,quantity,${op},个,,,,,common,,project`));
      return valid[0]?.draft.operator;
    });
    expect(operators).toEqual(['gte', 'gte', 'lte', 'lte', 'eq', 'eq', 'qualitative']);
  });

  it('accepts the columns in any order and treats an empty cell as absent', () => {
    const { valid } = rowsFromCsv('spendingTypes,name,scope,operator,level2,level1,unit,basis\nproject,服务开展情况,common,定性,quality,output,,\n');
    expect(valid[0]?.draft).toEqual({ name: '服务开展情况', level1: 'output', level2: 'quality', operator: 'qualitative', scope: 'common', spendingTypes: ['project'] });
  });

  it('reads quoted cells with commas and line breaks', () => {
    const { valid } = rowsFromCsv(csv('Q-1,"培训人次, 含线上",output,quantity,gte,人次,,"第一行\n第二行",,,common,,project', good('Q-2')));
    expect(valid.map((v) => [v.line, v.draft.name, v.draft.explanation])).toEqual([
      [2, '培训人次, 含线上', '第一行\n第二行'],
      [4, '培训人次', undefined],
    ]);
  });

  it('reports exactly the three bad rows of a ten-row file, each with its line', () => {
    const rows = Array.from({ length: 10 }, (_, i) => good(`R-${i + 1}`));
    rows[2] = 'R-3,,output,quantity,gte,人次,,,,,common,,project'; // no name
    rows[5] = 'R-6,培训人次,output,social_benefit,gte,人次,,,,,common,,project'; // wrong level 2
    rows[8] = 'R-9,培训人次,output,quantity,gte,,,,,,common,,project'; // no unit
    const { valid, invalid } = rowsFromCsv(csv(...rows));
    expect(invalid.map((p) => [p.line, p.field])).toEqual([
      [4, 'name'],
      [7, 'level2'],
      [10, 'unit'],
    ]);
    expect(invalid.every((p) => p.reason.length > 10)).toBe(true);
    expect(valid).toHaveLength(7);
  });

  it('reports every problem of a row, not only the first', () => {
    const { invalid } = rowsFromCsv(csv('bad code!,,产出类,quantity,gte,,,,,,个性,,支出'));
    expect(invalid.map((p) => p.field)).toEqual(['code', 'name', 'level1', 'unit', 'sector', 'spendingTypes']);
    expect(invalid.find((p) => p.field === 'level1')?.reason).toMatch(/"产出类" is not a level-1 category; use one of output \(产出指标\)/);
  });

  it('judges the unit rule even when another field of the row is wrong', () => {
    const { invalid } = rowsFromCsv(csv(',,output,quantity,gte,,,,,,common,,project'));
    expect(invalid.map((p) => p.field)).toEqual(['name', 'unit']);
  });

  it('reports a duplicate code on both lines', () => {
    const { valid, invalid } = rowsFromCsv(csv(good('D-1'), good('D-2'), good('D-1')));
    expect(invalid).toEqual([
      { line: 2, field: 'code', reason: expect.stringContaining('also used on line 4') },
      { line: 4, field: 'code', reason: expect.stringContaining('also used on line 2') },
    ]);
    expect(valid.map((v) => v.draft.code)).toEqual(['D-2']);
  });

  it('refuses an unknown column with one error for the header line and no rows', () => {
    const result = rowsFromCsv(`${HEADER},weight\r\n${good('U-1')},10\r\n`);
    expect(result).toEqual({ valid: [], invalid: [{ line: 1, field: 'weight', reason: expect.stringContaining('"weight" is not a known column') }] });
  });

  it('refuses a header that lacks a required column', () => {
    const { invalid } = rowsFromCsv('name,level1,level2,operator,unit,spendingTypes\n培训人次,output,quantity,gte,人次,project\n');
    expect(invalid).toEqual([{ line: 1, field: 'scope', reason: expect.stringContaining('missing') }]);
  });

  it('reports a row with more cells than the header has columns', () => {
    const { valid, invalid } = rowsFromCsv(csv(`${good('C-1')},extra`));
    expect(valid).toEqual([]);
    expect(invalid).toEqual([{ line: 2, field: 'row', reason: expect.stringContaining('14 cells but the header names 13 columns') }]);
  });

  it('reports an unterminated quote as a file error with its line', () => {
    expect(rowsFromCsv(csv(good('A-1'), 'A-2,"open,output').replace(/\r\n$/, '')).invalid).toEqual([
      { line: 3, field: 'file', reason: expect.stringContaining('not closed') },
    ]);
  });

  it('refuses a file with more rows than the maximum in one error', () => {
    const rows = Array.from({ length: MAX_IMPORT_ROWS + 1 }, () => good(''));
    const { valid, invalid } = rowsFromCsv(csv(...rows));
    expect(valid).toEqual([]);
    expect(invalid).toEqual([{ line: MAX_IMPORT_ROWS + 2, field: 'file', reason: expect.stringContaining('at most 20,000 rows') }]);
  });

  it('accepts a sector label when the sectors are given', () => {
    const row = ',受益学生人数,output,quantity,gte,人,,,,,individual,教育,project';
    expect(rowsFromCsv(csv(row), { sectors: [{ code: 'education', label: '教育' }] }).valid[0]?.draft.sector).toBe('education');
    expect(rowsFromCsv(csv(row)).invalid).toEqual([{ line: 2, field: 'sector', reason: expect.stringContaining('"教育" is not a known sector') }]);
  });
});

describe('rowsFromJson', () => {
  const item = { code: 'J-1', name: '培训人次', level1: '产出', level2: 'quantity', operator: '≥', unit: '人次', scope: 'common', spendingTypes: ['项目支出'] };

  it('numbers items from 1 and accepts labels and arrays', () => {
    expect(rowsFromJson([item])).toEqual({
      valid: [{ line: 1, draft: { ...item, level1: 'output', operator: 'gte', spendingTypes: ['project'] } }],
      invalid: [],
    });
  });

  it('reports an unknown field and a non-object item by their index', () => {
    const { valid, invalid } = rowsFromJson([{ ...item, weight: 10 }, 'x', { ...item, code: 'J-2' }]);
    expect(invalid).toEqual([
      { line: 1, field: 'weight', reason: expect.stringContaining('not a known field') },
      { line: 2, field: 'row', reason: expect.stringContaining('must be an object') },
    ]);
    expect(valid.map((v) => v.line)).toEqual([3]);
  });

  it('reports a value of the wrong type in words', () => {
    expect(rowsFromJson([{ ...item, name: 42 }]).invalid).toEqual([{ line: 1, field: 'name', reason: '42 must be text' }]);
  });

  it('reports duplicate codes on both items', () => {
    expect(rowsFromJson([item, item]).invalid.map((p) => [p.line, p.field])).toEqual([
      [1, 'code'],
      [2, 'code'],
    ]);
  });
});

describe('indicatorsToCsv', () => {
  const base = {
    version: 2,
    revision: 1,
    status: 'published' as const,
    region: '360000',
    createdAt: '2026-11-28T00:00:00Z',
    createdBy: 'f1',
    updatedAt: '2026-11-28T00:00:00Z',
  };
  const indicators: Indicator[] = [
    {
      ...base,
      id: 'ind_aaaaaaaaaaaa',
      code: 'AG-001',
      name: '新增和改善灌溉达标面积',
      level1: 'benefit',
      level2: 'ecological_benefit',
      operator: 'gte',
      unit: '亩',
      basis: 'plan',
      explanation: '参考目标值：≥500亩, 岳阳县\n2022年',
      dataSource: '验收报告 "终验"',
      scoringRule: 'proportional',
      scope: 'individual',
      sector: 'agriculture',
      spendingTypes: ['project', 'transfer_payment'],
    },
    {
      ...base,
      id: 'ind_bbbbbbbbbbbb',
      name: '业务保障能力提升情况',
      level1: 'benefit',
      level2: 'social_benefit',
      operator: 'qualitative',
      scope: 'common',
      spendingTypes: ['project'],
    },
  ];

  it('writes codes for enumerations and joins spending types with |', () => {
    const [header, first] = indicatorsToCsv(indicators).replace(/^\uFEFF/, '').split('\r\n');
    expect(header).toBe(`${HEADER},id,revision,status,region`);
    expect(first).toContain(',benefit,ecological_benefit,gte,亩,plan,');
    expect(first).toContain(',individual,agriculture,project|transfer_payment,ind_aaaaaaaaaaaa,1,published,360000');
  });

  it('imports back what it exports', () => {
    const { valid, invalid } = rowsFromCsv(indicatorsToCsv(indicators));
    expect(invalid).toEqual([]);
    const content = indicators.map(({ id: _i, version: _v, revision: _r, status: _s, region: _g, createdAt: _c, createdBy: _b, updatedAt: _u, ...draft }) => draft);
    expect(valid.map((v) => v.draft)).toEqual(content);
  });
});

describe('CSV injection', () => {
  it('exports a text starting like a formula as text, and imports it back unchanged', () => {
    const indicator = {
      id: 'ind_0000000000001', version: 2, revision: 1, status: 'published', region: '360000', createdAt: 'x', createdBy: 'x', updatedAt: 'x',
      name: '=HYPERLINK("http://evil","点击")', level1: 'output', level2: 'quantity', operator: 'gte', unit: '个', scope: 'common', spendingTypes: ['project'],
      explanation: '-2+3',
    } as const;
    const csv = indicatorsToCsv([indicator as never]);
    expect(csv).toContain(`"'=HYPERLINK(""http://evil"",""点击"")"`);
    expect(csv).toContain("'-2+3");
    const back = rowsFromCsv(csv);
    expect(back.invalid).toEqual([]);
    expect(back.valid[0]?.draft).toMatchObject({ name: indicator.name, explanation: '-2+3' });
  });
});

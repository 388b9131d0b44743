/**
 * The People's Congress report as one self-contained printable HTML page (zh-CN): inline CSS
 * with print styles and page breaks, inline SVG charts (grade distribution, monitoring lights,
 * approved amounts by department), tables of every total. No script, no external resource,
 * no web font; every value is HTML-escaped. Amounts print in 万元 with 2 decimals. Pure.
 */
import type { CongressReport } from './congress-report.ts';
import type { KeyReportLine } from './key-report-lines.ts';
import { ASPECT_LABELS, SATISFACTION_LABELS } from '../../../events/evaluation-ratings.ts';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (value: unknown): string => String(value ?? '').replace(/[&<>"']/g, (c) => ESCAPES[c]!);

/** 万元 with 2 decimals and thousands separators. */
export const wan = (n: number) => n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const pct = (part: number, whole: number) => (whole ? `${((part / whole) * 100).toFixed(1)}%` : '—');

export const TYPE_LABELS: Record<string, string> = { project: '项目支出', department_overall: '部门整体支出', transfer_payment: '转移支付' };
export const GRADE_LABELS: Record<string, string> = { excellent: '优', good: '良', fair: '中', poor: '差' };
const GRADE_COLORS: Record<string, string> = { excellent: '#2e7d32', good: '#1565c0', fair: '#f9a825', poor: '#c62828' };
export const LIGHT_LABELS: Record<string, string> = { green: '绿灯', yellow: '黄灯', red: '红灯' };
const LIGHT_COLORS: Record<string, string> = { green: '#43a047', yellow: '#fbc02d', red: '#e53935' };
export const SOURCE_LABELS: Record<string, string> = { deviation: '监控偏差', evaluation: '评价发现问题', audit: '审计发现', manual: '手工下达' };
export const TRIGGER_LABELS: Record<string, string> = { poor_grade_years: '评价连续为差', red_windows_uncorrected: '红灯偏差连续未纠正', manual: '监督方或财政立案' };
const SATISFACTIONS = ['satisfied', 'basically_satisfied', 'dissatisfied'] as const;
export const RECOMMENDATION_LABELS: Record<string, string> = { priority: '优先保障', maintain: '保持', improve: '改进', cut: '压减', cancel: '取消' };

interface Slice {
  label: string;
  value: number;
  color: string;
}

/** A pie chart with a legend; an empty set draws a grey ring and says so. */
export function pieChart(title: string, slices: readonly Slice[]): string {
  const total = slices.reduce((s, x) => s + x.value, 0);
  const r = 70;
  const cx = 90;
  const cy = 90;
  let paths = '';
  if (total === 0) {
    paths = `<circle cx="${cx}" cy="${cy}" r="${r}" fill="#eee" stroke="#ccc"/><text x="${cx}" y="${cy + 5}" text-anchor="middle" font-size="13">无数据</text>`;
  } else {
    let angle = -Math.PI / 2;
    for (const s of slices) {
      if (s.value <= 0) continue;
      const share = s.value / total;
      if (share >= 0.999999) {
        paths += `<circle cx="${cx}" cy="${cy}" r="${r}" fill="${s.color}"><title>${escapeHtml(s.label)} ${s.value}</title></circle>`;
        break;
      }
      const end = angle + share * 2 * Math.PI;
      const [x1, y1] = [cx + r * Math.cos(angle), cy + r * Math.sin(angle)];
      const [x2, y2] = [cx + r * Math.cos(end), cy + r * Math.sin(end)];
      paths += `<path d="M${cx},${cy} L${x1.toFixed(2)},${y1.toFixed(2)} A${r},${r} 0 ${share > 0.5 ? 1 : 0} 1 ${x2.toFixed(2)},${y2.toFixed(2)} Z" fill="${s.color}" stroke="#fff"><title>${escapeHtml(s.label)} ${s.value}</title></path>`;
      angle = end;
    }
  }
  const legend = slices
    .map((s, i) => `<rect x="200" y="${20 + i * 24}" width="14" height="14" fill="${s.color}"/><text x="220" y="${32 + i * 24}" font-size="13">${escapeHtml(s.label)}：${s.value}（${pct(s.value, total)}）</text>`)
    .join('');
  return `<figure class="chart"><svg role="img" aria-label="${escapeHtml(title)}" width="380" height="190" viewBox="0 0 380 190" xmlns="http://www.w3.org/2000/svg">${paths}${legend}</svg><figcaption>${escapeHtml(title)}</figcaption></figure>`;
}

/** A horizontal bar chart (values ≥ 0), labels on the left, values at the bar ends. */
export function barChart(title: string, bars: readonly { label: string; value: number }[], format: (n: number) => string = String): string {
  const max = Math.max(0, ...bars.map((b) => b.value));
  const width = 640;
  const labelWidth = 150;
  const barArea = width - labelWidth - 110;
  const rowHeight = 26;
  const height = Math.max(1, bars.length) * rowHeight + 10;
  const rows = bars.length
    ? bars
        .map((b, i) => {
          const w = max > 0 ? Math.max(1, (b.value / max) * barArea) : 1;
          const y = 5 + i * rowHeight;
          return `<text x="${labelWidth - 8}" y="${y + 16}" text-anchor="end" font-size="13">${escapeHtml(b.label)}</text><rect x="${labelWidth}" y="${y + 3}" width="${w.toFixed(1)}" height="18" fill="#1565c0"><title>${escapeHtml(b.label)} ${escapeHtml(format(b.value))}</title></rect><text x="${(labelWidth + w + 6).toFixed(1)}" y="${y + 16}" font-size="12">${escapeHtml(format(b.value))}</text>`;
        })
        .join('')
    : `<text x="10" y="20" font-size="13">无数据</text>`;
  return `<figure class="chart"><svg role="img" aria-label="${escapeHtml(title)}" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" xmlns="http://www.w3.org/2000/svg">${rows}</svg><figcaption>${escapeHtml(title)}</figcaption></figure>`;
}

const table = (caption: string, head: readonly string[], rows: readonly (readonly (string | number)[])[], foot?: readonly (string | number)[]) =>
  `<table><caption>${escapeHtml(caption)}</caption><thead><tr>${head.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead><tbody>${rows
    .map((r) => `<tr>${r.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`)
    .join('')}</tbody>${foot ? `<tfoot><tr>${foot.map((c) => `<th>${escapeHtml(c)}</th>`).join('')}</tr></tfoot>` : ''}</table>`;

/** A labelled figure with a stable data attribute, so readers (and tests) can find each total. */
const stat = (key: string, label: string, value: string | number) =>
  `<div class="stat" data-total="${escapeHtml(key)}"><span class="label">${escapeHtml(label)}</span><span class="value">${escapeHtml(value)}</span></div>`;

const CSS = `
*{box-sizing:border-box}
body{font-family:"Noto Sans SC","Source Han Sans SC","PingFang SC","Microsoft YaHei","SimSun",sans-serif;color:#222;margin:24px;line-height:1.5;font-size:14px}
h1{font-size:22px;text-align:center;margin:0 0 4px}
.meta{text-align:center;color:#555;margin-bottom:16px}
h2{font-size:17px;border-left:4px solid #1565c0;padding-left:8px;margin:24px 0 8px}
.stats{display:flex;flex-wrap:wrap;gap:8px;margin:8px 0}
.stat{border:1px solid #ccd;border-radius:4px;padding:6px 10px;min-width:150px}
.stat .label{display:block;color:#555;font-size:12px}
.stat .value{font-size:18px;font-weight:bold}
table{border-collapse:collapse;margin:8px 0 16px;min-width:60%}
caption{text-align:left;font-weight:bold;margin-bottom:4px}
th,td{border:1px solid #999;padding:4px 8px;text-align:right}
th:first-child,td:first-child{text-align:left}
thead th{background:#eef2f8}
.charts{display:flex;flex-wrap:wrap;gap:16px}
figure.chart{margin:0}
figcaption{text-align:center;color:#555;font-size:12px}
.note{color:#555;font-size:12px}
table.ratings td.text{text-align:left;max-width:28em}
@page{size:A4;margin:15mm}
@media print{
  body{margin:0;font-size:12px}
  section{break-inside:avoid-page}
  section.page{break-before:page}
  .stat{border-color:#999}
  a{color:inherit;text-decoration:none}
}`;

/** 意见: the comments, then each remark with its part (过程：…). */
const opinion = (r: KeyReportLine['ratings'][number]) =>
  [r.comments, ...Object.entries(r.remarks ?? {}).map(([part, remark]) => `${(ASPECT_LABELS as Readonly<Record<string, string>>)[part] ?? part}：${remark}`)].filter(Boolean).join('；');

/** One row per rating; a report not yet rated gets one row saying so. */
function ratingsTable(reports: readonly KeyReportLine[]): string {
  const cell = (v: unknown, text = false) => `<td${text ? ' class="text"' : ''}>${escapeHtml(v)}</td>`;
  const rows = reports.flatMap((k) => {
    const head = [cell(k.objectName), cell(k.department), cell(k.score.toFixed(2)), cell(k.gradeLabel)].join('');
    if (!k.ratings.length) return [`<tr data-evaluation="${escapeHtml(k.evaluationId)}">${head}${cell('未测评')}${cell('—', true)}${cell('—')}</tr>`];
    return k.ratings.map((r) => `<tr data-evaluation="${escapeHtml(k.evaluationId)}">${head}${cell(r.satisfactionLabel)}${cell(opinion(r) || '—', true)}${cell(r.ratedAt.slice(0, 10))}</tr>`);
  });
  const head = ['评价对象', '部门', '得分', '等级', '满意度', '意见', '测评日期'].map((h) => `<th>${escapeHtml(h)}</th>`).join('');
  return `<table class="ratings"><caption>重点绩效评价报告及满意度测评</caption><thead><tr>${head}</tr></thead><tbody>${rows.length ? rows.join('') : `<tr><td colspan="7">本年度无重点绩效评价报告</td></tr>`}</tbody></table>`;
}

export function congressReportHtml(r: CongressReport, regionName?: string): string {
  const t = r.targets;
  const m = r.monitoring;
  const e = r.evaluation;
  const a = r.application;
  const k = r.keyEvaluations.tally;
  const grades = ['excellent', 'good', 'fair', 'poor'] as const;
  const title = `${r.fiscalYear}年度预算绩效管理情况报告`;
  const where = regionName ? `${regionName}（${r.region}）` : r.region;

  return `<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${CSS}</style>
</head>
<body>
<header>
<h1>${escapeHtml(title)}</h1>
<div class="meta">报送人民代表大会 · 行政区划 ${escapeHtml(where)} · 生成时间 ${escapeHtml(r.generatedAt)} · 金额单位：万元</div>
</header>

<section id="targets">
<h2>一、绩效目标</h2>
<div class="stats">
${stat('targets.objects', '纳入目标管理的对象', t.objects)}
${stat('targets.approved', '目标已批复', t.approved)}
${stat('targets.amountWan', '批复金额（万元）', wan(t.amountWan))}
${stat('targets.rejected', '未予批复', t.rejected)}
${stat('targets.revised', '年中调整目标', t.revised)}
</div>
${table('按支出类型', ['类型', '对象数', '已批复', '批复金额（万元）'], t.byType.map((g) => [TYPE_LABELS[g.type] ?? g.type, g.objects, g.approved, wan(g.amountWan)]), ['合计', t.objects, t.approved, wan(t.amountWan)])}
${table('按部门', ['部门', '对象数', '已批复', '批复金额（万元）'], t.byDepartment.map((g) => [g.department, g.objects, g.approved, wan(g.amountWan)]), ['合计', t.objects, t.approved, wan(t.amountWan)])}
<div class="charts">${barChart('各部门批复金额（万元）', t.byDepartment.map((g) => ({ label: g.department, value: g.amountWan })), wan)}</div>
</section>

<section id="monitoring" class="page">
<h2>二、绩效运行监控</h2>
<div class="stats">
${stat('monitoring.reports', '监控报告', m.reports)}
${stat('monitoring.objectsReported', '报告对象', m.objectsReported)}
${stat('monitoring.deviations', '偏差', m.deviations)}
${stat('monitoring.redDeviations', '其中红灯偏差', m.redDeviations)}
${stat('monitoring.corrected', '已纠偏', m.corrected)}
${stat('monitoring.fundingPauses', '建议暂缓拨款', m.fundingPauses)}
${stat('monitoring.reminders', '催报', m.reminders)}
${stat('monitoring.escalations', '逾期上报', m.escalations)}
</div>
${table('最新监控亮灯', ['灯色', '对象数', '占比'], (['green', 'yellow', 'red'] as const).map((l) => [LIGHT_LABELS[l]!, m.lights[l], pct(m.lights[l], m.objectsReported)]), ['合计', m.objectsReported, m.objectsReported ? '100.0%' : '—'])}
<div class="charts">${pieChart('最新监控亮灯分布', (['green', 'yellow', 'red'] as const).map((l) => ({ label: LIGHT_LABELS[l]!, value: m.lights[l], color: LIGHT_COLORS[l]! })))}</div>
</section>

<section id="evaluation">
<h2>三、绩效评价</h2>
<div class="stats">
${stat('evaluation.evaluated', '已评价对象', e.evaluated)}
${stat('evaluation.notEvaluated', '已批复未评价', e.notEvaluated)}
${grades.map((g) => stat(`evaluation.grades.${g}`, `评价为「${GRADE_LABELS[g]}」`, e.grades[g])).join('\n')}
${stat('evaluation.averageScore', '平均得分', e.averageScore === null ? '—' : e.averageScore.toFixed(2))}
</div>
<p class="note">等级以重点评价为准，其次为财政复核，再次为单位自评（重点评价 ${escapeHtml(e.byBasis.key)} 个，财政复核 ${escapeHtml(e.byBasis.financeReview)} 个，单位自评 ${escapeHtml(e.byBasis.self)} 个）。</p>
${table(
  '评价等级分布（按支出类型）',
  ['类型', '已评价', ...grades.map((g) => GRADE_LABELS[g]!)],
  e.byType.map((x) => [TYPE_LABELS[x.type] ?? x.type, x.evaluated, ...grades.map((g) => x.grades[g])]),
  ['合计', e.evaluated, ...grades.map((g) => e.grades[g])],
)}
<div class="charts">${pieChart('评价等级分布', grades.map((g) => ({ label: GRADE_LABELS[g]!, value: e.grades[g], color: GRADE_COLORS[g]! })))}</div>
</section>

<section id="application" class="page">
<h2>四、评价结果应用</h2>
<div class="stats">
${stat('application.recommendations', '预算调整建议', a.recommendations)}
${stat('application.currentAmountWan', '涉及本年金额（万元）', wan(a.currentAmountWan))}
${stat('application.proposedAmountWan', '建议下年金额（万元）', wan(a.proposedAmountWan))}
${stat('application.changeWan', '增减（万元）', wan(a.changeWan))}
</div>
${table('按建议类型', ['建议', '对象数'], (['priority', 'maintain', 'improve', 'cut', 'cancel'] as const).map((k) => [RECOMMENDATION_LABELS[k]!, a.byRecommendation[k]]), ['合计', a.recommendations])}
</section>

<section id="rectification">
<h2>五、整改与问责</h2>
<div class="stats">
${stat('rectifications.total', '整改通知', r.rectifications.total)}
${stat('rectifications.closed', '已完成整改', r.rectifications.closed)}
${stat('rectifications.closedOnTime', '按期完成', r.rectifications.closedOnTime)}
${stat('rectifications.open', '整改中', r.rectifications.open)}
${stat('rectifications.overdue', '逾期未整改', r.rectifications.overdue)}
${stat('cases.total', '问责事项', r.cases.total)}
${stat('cases.open', '办理中', r.cases.open)}
${stat('cases.decided', '已作出决定', r.cases.decided)}
${stat('cases.closed', '已办结', r.cases.closed)}
</div>
${table('整改来源', ['来源', '数量'], Object.entries(r.rectifications.bySource).sort().map(([k, v]) => [SOURCE_LABELS[k] ?? k, v]), ['合计', r.rectifications.total])}
${table('问责依据', ['规则', '数量'], Object.entries(r.cases.byRule).sort().map(([k, v]) => [TRIGGER_LABELS[k] ?? k, v]), ['合计', r.cases.total])}
</section>

<section id="key-evaluations" class="page">
<h2>六、重点绩效评价报告满意度测评</h2>
<div class="stats">
${stat('keyEvaluations.reports', '重点绩效评价报告', k.reports)}
${stat('keyEvaluations.rated', '已测评', k.rated)}
${stat('keyEvaluations.notRated', '未测评', k.notRated)}
${SATISFACTIONS.map((level) => stat(`keyEvaluations.${level}`, SATISFACTION_LABELS[level], k.bySatisfaction[level])).join('\n')}
</div>
<p class="note">满意度按人民代表大会测评人计：每位测评人对每份报告一票，再次测评以最新一次为准。</p>
${ratingsTable(r.keyEvaluations.reports)}
</section>
<footer class="note">本报告由预算绩效管理系统根据各环节记录自动汇总生成；金额保留两位小数。</footer>
</body>
</html>
`;
}

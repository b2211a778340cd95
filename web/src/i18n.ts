// Chinese first; English is a switch kept in localStorage.
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Lang } from './format';

const dict = {
  appName: ['归根', 'Guigen'],
  tagline: ['为烈士寻亲·让忠魂归根', 'Find the families of martyrs'],
  navSearch: ['寻亲检索', 'Search'],
  navGallery: ['画像展', 'Gallery'],
  navLeads: ['线索看板', 'Lead board'],
  navStories: ['故事', 'Stories'],
  skip: ['跳到正文', 'Skip to content'],
  switchLang: ['English', '中文'],
  switchLangLabel: ['Switch to English', '切换到中文'],
  searchTitle: ['寻找烈士', 'Find a martyr'],
  searchHelp: ['姓名可写汉字、拼音或首字母；不认识的字写 ?。籍贯可写今名或旧名（胶州市 / 胶县）。', 'Name in characters, pinyin or initials; ? for an unknown character. Hometown by today\'s or a former name.'],
  name: ['姓名', 'Name'],
  hometown: ['籍贯', 'Hometown'],
  birthYear: ['出生年份', 'Birth year'],
  diedYear: ['牺牲年份', 'Year of death'],
  unit: ['部队', 'Unit'],
  search: ['检索', 'Search'],
  searching: ['检索中…', 'Searching…'],
  noHits: ['没有找到相符的记录。', 'No matching records.'],
  hits: ['条结果', 'results'],
  score: ['吻合度', 'Match'],
  reasons: ['吻合理由', 'Why it matches'],
  moreFilters: ['更多条件', 'More filters'],
  loading: ['载入中…', 'Loading…'],
  error: ['出错了', 'Error'],
  notFound: ['没有这条记录。', 'No such record.'],
  born: ['出生', 'Born'],
  died: ['牺牲', 'Died'],
  enlisted: ['入伍', 'Enlisted'],
  position: ['职务', 'Position'],
  deathPlace: ['牺牲地点', 'Place of death'],
  burial: ['安葬地', 'Burial'],
  cemetery: ['陵园', 'Cemetery'],
  grave: ['墓位', 'Grave'],
  registryNo: ['编号', 'Registry no.'],
  approvedBy: ['批准机关', 'Approved by'],
  certificateNo: ['证明书编号', 'Certificate no.'],
  aliases: ['其他名字', 'Other names'],
  unnamed: ['无名烈士', 'Unnamed martyr'],
  facts: ['史实与出处', 'Facts and sources'],
  conflicting: ['说法不一', 'Sources disagree'],
  confidence: ['可信度', 'Confidence'],
  source: ['出处', 'Source'],
  lineage: ['籍贯沿革', 'Hometown lineage'],
  formerly: ['旧称', 'Formerly'],
  laterBecame: ['后改为', 'Later'],
  resolvedTo: ['对应地点', 'Resolved to'],
  comrades: ['同乡与战友', 'Comrades'],
  sameHometown: ['同乡', 'Same hometown'],
  sameUnit: ['同部队', 'Same unit'],
  sameCemetery: ['同陵园', 'Same cemetery'],
  portraits: ['画像', 'Portraits'],
  stories: ['故事', 'Stories'],
  relatives: ['亲属', 'Relatives'],
  relativesNone: ['没有可向您显示的亲属信息。', 'No relatives you may see.'],
  restricted: ['无权查看', 'restricted'],
  phone: ['电话', 'Phone'],
  address: ['住址', 'Address'],
  idNumber: ['身份证号', 'ID number'],
  dna: ['DNA 比对', 'DNA'],
  living: ['在世', 'living'],
  deceased: ['已故', 'deceased'],
  leads: ['线索', 'Leads'],
  records: ['档案', 'Records'],
  galleryTitle: ['英烈画像展', 'Portraits of the fallen'],
  exhibits: ['展览', 'Exhibits'],
  noExhibits: ['暂无展览。演示画像正在生成时，请稍候刷新。', 'No exhibits yet. The demo portraits may still be painting; reload in a moment.'],
  reconstruction: ['复原画像（依描述绘制，非照片）', 'Reconstruction (painted from descriptions, not a photograph)'],
  accessionNo: ['馆藏号', 'Accession no.'],
  rights: ['版权', 'Rights'],
  artist: ['作者', 'Artist'],
  painted: ['创作时间', 'Painted'],
  basedOn: ['依据', 'Based on'],
  archive: ['收藏机构', 'Archive'],
  deepZoom: ['放大细看', 'Deep zoom'],
  close: ['关闭', 'Close'],
  zoomIn: ['放大', 'Zoom in'],
  zoomOut: ['缩小', 'Zoom out'],
  zoomHome: ['复位', 'Reset'],
  kiosk: ['展厅模式', 'Kiosk mode'],
  fullscreen: ['全屏', 'Full screen'],
  pause: ['暂停', 'Pause'],
  play: ['播放', 'Play'],
  prev: ['上一幅', 'Previous'],
  next: ['下一幅', 'Next'],
  martyrPage: ['烈士页面', 'Martyr page'],
  signIn: ['登录', 'Sign in'],
  signOut: ['退出', 'Sign out'],
  signInHelp: ['粘贴管理员发给您的令牌（gg_ 开头）。令牌只保存在本标签页中，关闭即清除。', 'Paste the token you were given (starts with gg_). It is kept in this tab only.'],
  token: ['令牌', 'Token'],
  badToken: ['令牌无效、已过期或已吊销。', 'The token is invalid, expired or revoked.'],
  notAllowed: ['您的角色无权查看线索。', 'Your role may not see leads.'],
  signedIn: ['已登录', 'Signed in'],
  live: ['实时更新', 'Live'],
  offline: ['未连接', 'Offline'],
  lastEvent: ['最新动态', 'Latest'],
  summary: ['摘要', 'Summary'],
  assignee: ['负责人', 'Assignee'],
  candidates: ['候选家属', 'Candidate family'],
  timeline: ['办理记录', 'Timeline'],
  evidence: ['证据', 'Evidence'],
  moves: ['可执行的操作', 'Moves'],
  moveTo: ['转为', 'Move to'],
  note: ['备注', 'Note'],
  familyConsent: ['家属已同意公开', 'The family consents to the announcement'],
  moved: ['已更新', 'Updated'],
  noMoves: ['您的角色在此线索上没有可做的操作。', 'Your role has no moves to make on this lead.'],
  storiesTitle: ['故事检索', 'Search stories'],
  storiesHelp: ['全文检索已发表的故事；繁简通查（張/张）。', 'Full text over published stories; traditional and simplified match.'],
  allStories: ['全部故事', 'All stories'],
  copyCitation: ['复制引用', 'Copy citation'],
  copied: ['已复制', 'Copied'],
  sources: ['出处', 'Sources'],
  author: ['作者', 'Author'],
  date: ['日期', 'Date'],
  years: ['年份', 'Years'],
  places: ['地点', 'Places'],
  units: ['部队', 'Units'],
  clear: ['清除', 'Clear'],
  back: ['返回', 'Back'],
  unknown: ['不详', 'unknown'],
} as const;

export type Key = keyof typeof dict;

export function translate(lang: Lang, k: Key): string {
  return dict[k][lang === 'zh' ? 0 : 1];
}

const leadStates: Record<string, [string, string]> = {
  NEW: ['新建', 'New'],
  TRIAGED: ['已分诊', 'Triaged'],
  INVESTIGATING: ['调查中', 'Investigating'],
  CANDIDATE_FAMILY: ['候选家属', 'Candidate family'],
  DOC_VERIFIED: ['文书已核实', 'Documents verified'],
  DNA_REQUESTED: ['已申请 DNA 比对', 'DNA requested'],
  DNA_MATCH: ['DNA 吻合', 'DNA match'],
  DNA_EXCLUDED: ['DNA 排除', 'DNA excluded'],
  CONFIRMED: ['已确认', 'Confirmed'],
  ANNOUNCED: ['已公布', 'Announced'],
  REJECTED: ['已否定', 'Rejected'],
  ON_HOLD: ['暂缓', 'On hold'],
  REOPENED: ['重新打开', 'Reopened'],
};
export const leadStateOrder = Object.keys(leadStates);

const relations: Record<string, [string, string]> = {
  FATHER: ['父亲', 'father'],
  MOTHER: ['母亲', 'mother'],
  BROTHER: ['兄弟', 'brother'],
  SISTER: ['姐妹', 'sister'],
  SON: ['儿子', 'son'],
  DAUGHTER: ['女儿', 'daughter'],
  NEPHEW: ['侄子/外甥', 'nephew'],
  NIECE: ['侄女/外甥女', 'niece'],
  GRANDCHILD: ['孙辈', 'grandchild'],
  SPOUSE: ['配偶', 'spouse'],
  OTHER: ['其他', 'other'],
};

const misc: Record<string, [string, string]> = {
  CLAIMED: ['家属称', 'claimed'],
  CONFIRMED_KIN: ['已确认', 'confirmed'],
  PATERNAL: ['父系', 'paternal'],
  MATERNAL: ['母系', 'maternal'],
  create: ['创建', 'created'],
  transition: ['转状态', 'moved'],
  assign: ['指派', 'assigned'],
  note: ['备注', 'note'],
  name: ['姓名', 'Name'],
  born: ['出生', 'Born'],
  died: ['牺牲', 'Died'],
  hometown: ['籍贯', 'Hometown'],
  unit: ['部队', 'Unit'],
  enlisted: ['入伍', 'enlisted'],
  deathPlace: ['牺牲地点', 'place of death'],
  burial: ['安葬地', 'burial'],
  position: ['职务', 'position'],
  MALE: ['男', 'male'],
  FEMALE: ['女', 'female'],
};

function pick(table: Record<string, [string, string]>, k: string | null | undefined, lang: Lang): string {
  if (!k) return '';
  const v = table[k];
  return v ? v[lang === 'zh' ? 0 : 1] : k;
}

const recordKinds: Record<string, [string, string]> = {
  ROLL: ['英名录', 'roll of honour'],
  GRAVE: ['墓葬登记', 'grave register'],
  HEADSTONE: ['墓碑照片', 'headstone photo'],
  CERTIFICATE: ['烈士证明书', 'martyr certificate'],
  DEATH_NOTICE: ['牺牲通知书', 'death notice'],
  CHRONICLE: ['县志', 'county chronicle'],
  UNIT_ARCHIVE: ['部队档案', 'unit archive'],
  GENEALOGY: ['族谱', 'genealogy'],
  ORAL: ['口述', 'oral testimony'],
  DNA: ['DNA 比对', 'DNA result'],
  REGISTER: ['烈士清册', 'register'],
  OTHER: ['其他', 'other'],
};

export const recordKindLabel = (s: string, lang: Lang) => pick(recordKinds, s, lang);
export const leadStateLabel = (s: string, lang: Lang) => pick(leadStates, s, lang);
export const relationLabel = (s: string, lang: Lang) => pick(relations, s, lang);
export const miscLabel = (s: string | null | undefined, lang: Lang) => pick(misc, s, lang);

export const LangContext = createContext<Lang>('zh');

/** The translator for the current language. */
export function useT(): { t: (k: Key) => string; lang: Lang } {
  const lang = useContext(LangContext);
  return { t: (k: Key) => translate(lang, k), lang };
}

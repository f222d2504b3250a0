// The explorer's page: one self-contained HTML document (no CDN, no file beside it,
// works offline), plain DOM code in an inline script. It keeps the path in the URL's
// fragment (#spec=…&p.x=…&f.drop=…&init=…&s=<key>&s=<key>…&at=…), so a link opens
// the same state; everything it shows comes from the JSON API (api.ts).
// Without colour it still reads: faults carry a FAULT tag, properties ✓/✗ and a
// word, changed values a ✱, warnings a ⚠.
import { CHART_CSS } from '../trace/render/html.js';

const CSS = `
*{box-sizing:border-box}html,body{margin:0}body{font:14px/1.4 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;color:#1d2330;background:#f3f4f7}
header{position:sticky;top:0;z-index:5;background:#fff;border-bottom:1px solid #d5dae1;padding:6px 14px}
.top{display:flex;flex-wrap:wrap;align-items:baseline;gap:4px 14px}h1{font-size:16px;margin:0}#spec-name{font:600 15px ui-monospace,monospace}
#config{color:#4a5263;font:12px ui-monospace,monospace}
nav{display:flex;flex-wrap:wrap;gap:6px;margin:6px 0 2px}
button,.file{position:relative;font:inherit;font-size:13px;padding:3px 10px;border:1px solid #9aa3b2;border-radius:4px;background:#fff;color:#1d2330;cursor:pointer}
button:hover,.file:hover{background:#eef3fb}button:disabled{opacity:.45;cursor:default}button:focus-visible,.file:focus-within{outline:3px solid #1a56c4;outline-offset:1px}
.file input{position:absolute;opacity:0;width:1px;height:1px}
#find{border-color:#b3261e;font-weight:600}
#status{font-size:13px;min-height:1.4em;color:#1d2330}#status.bad{color:#b3261e;font-weight:600}
#banner{display:none;margin:6px 0 0;padding:6px 10px;border:2px solid #b3261e;border-radius:4px;background:#fdecea;font:13px ui-monospace,monospace;white-space:pre-wrap}
main{display:grid;grid-template-columns:minmax(0,1.15fr) minmax(0,1fr);gap:10px;padding:10px 14px}
@media (max-width:900px){main{grid-template-columns:minmax(0,1fr)}}
.col{display:flex;flex-direction:column;gap:10px;min-width:0}
section{background:#fff;border:1px solid #d5dae1;border-radius:6px;padding:8px 10px;min-width:0}
h2{font-size:12px;margin:0 0 6px;color:#4a5263;text-transform:uppercase;letter-spacing:.05em}h2 .sub{text-transform:none;letter-spacing:0;font-weight:400}
.mono{font-family:ui-monospace,monospace}
#props{list-style:none;margin:0;padding:0;font:13px ui-monospace,monospace}#props li{padding:2px 0}
#props .ok .mark{color:#1b7f3b;font-weight:700}#props .bad{background:#fdecea;border-left:4px solid #b3261e;padding-left:6px}#props .bad .mark{color:#b3261e;font-weight:700}
#props .read{margin-left:2em;color:#4a5263;font-size:12px}
.facts{display:flex;flex-wrap:wrap;gap:4px 16px;font:13px ui-monospace,monospace;margin-bottom:6px}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(190px,1fr));gap:8px}
.card{border:1px solid #c9ced6;border-radius:5px;padding:5px 7px;font:12px ui-monospace,monospace;min-width:0}
.card .name{font-weight:700;font-size:13px}.card .role{color:#6b3fa0}.card .status{float:right;font-weight:700}
.card.paused{border:2px dashed #d08a00;background:#fff8e6}.card.paused .status{color:#8a5a00}
.card.crashed{border:2px dotted #7a8294;background:#f0f1f3}.card.crashed .status{color:#b3261e}
.part{color:#7a8294;margin-top:3px;font:12px ui-monospace,monospace}#world>.kv{font:12px ui-monospace,monospace}.kv{overflow-wrap:anywhere}.kv .k{color:#6b3fa0}
.changed{background:#ffe8a3;border-radius:3px}.changed::before{content:"\\2731 ";color:#8a5a00}
.list{font:12px ui-monospace,monospace;margin:4px 0 0;padding-left:18px}
#actions .group{margin-bottom:6px}#actions .gname{font:600 12px ui-monospace,monospace;color:#4a5263;border-bottom:1px solid #e4e7ec;margin-bottom:3px}
#actions .faults{margin-top:3px;padding-top:3px;border-top:1px dashed #e0a8a4}
.act{display:flex;gap:6px;align-items:baseline;width:100%;text-align:left;margin:2px 0;font:12.5px ui-monospace,monospace;padding:3px 6px;border-color:#c9ced6}
.act .num{color:#7a8294;min-width:1.6em;text-align:right}.act .tag{min-width:5.6em;font-weight:700}.act .text{flex:1;overflow-wrap:anywhere}
.act.fault{border-color:#e0a8a4;background:#fffafa}.act.next{outline:2px solid #1a56c4}
.act .warn{color:#b3261e;font-weight:700;white-space:nowrap}
.k-fault .tag,.tag.k-fault{color:#b3261e}.k-deliver .tag,.tag.k-deliver{color:#0b6e99}.k-timer .tag,.tag.k-timer{color:#8a2be2}.k-step .tag,.tag.k-step{color:#1a56c4}.k-recover .tag,.tag.k-recover{color:#1b7f3b}.k-tick .tag,.tag.k-tick{color:#7a8294}
#actions-box{max-height:36vh;overflow:auto}#path-box{max-height:48vh;overflow:auto;position:relative}
#actions-box h2,#path-box h2{position:sticky;top:-8px;background:#fff;z-index:1;padding:4px 0;margin-top:-4px}
ol#steps{list-style:none;margin:0;padding:0}
#steps li{padding:3px 6px;border-left:4px solid transparent;cursor:pointer;border-radius:3px}#steps li:hover{background:#eef3fb}
#steps li.current{background:#dbe8fb;border-left-color:#1a56c4}#steps li.future{opacity:.55}
#steps .head{font:12.5px ui-monospace,monospace;white-space:pre-wrap}#steps .changes{font:12px ui-monospace,monospace;color:#4a5263;white-space:pre-wrap;margin-left:2.2em}
#steps .fails{color:#b3261e;font:700 12px ui-monospace,monospace;margin-left:2.2em}#steps li.loop{border-left-style:double}#steps li.loop:not(.current){border-left-color:#9c6ade}#steps li.loopnote{color:#6a1b9a;font:600 13px ui-monospace,monospace;border-left-color:transparent}
#chart-box{overflow:auto;max-height:48vh}
#init{font:12px ui-monospace,monospace;margin-bottom:6px;max-width:100%}
${CHART_CSS}
footer{padding:4px 14px 10px;color:#4a5263;font-size:12px}kbd{font:11px ui-monospace,monospace;border:1px solid #c9ced6;border-radius:3px;padding:0 3px;background:#fff}
`;

// Plain ES5-style code in a string: no build step, no dependency, no template literals
// (this file is one), so it reads as it runs.
const SCRIPT = String.raw`
(function(){
'use strict';
var S={spec:null,params:null,faults:null,init:0,path:[],at:0,loop:null,data:null,job:null,seq:0,banner:''};
function $(id){return document.getElementById(id)}
function el(t,c,x){var e=document.createElement(t);if(c)e.className=c;if(x!=null)e.textContent=x;return e}
function status(text,bad){var s=$('status');s.textContent=text||'';s.className=bad?'bad':''}
function banner(text){var b=$('banner');b.textContent=text||'';b.style.display=text?'block':'none'}
function api(method,url,body,raw){
  var o={method:method,headers:{}};
  if(body!==undefined){o.body=raw?body:JSON.stringify(body);o.headers['Content-Type']='application/json'}
  return fetch(url,o).then(function(r){return r.json().then(function(j){if(!r.ok)throw new Error((j.error&&j.error.message)||('HTTP '+r.status));return j})})}
function paramText(v){return Array.isArray(v)?v.join(','):String(v)}
function encodeHash(){
  var parts=['spec='+encodeURIComponent(S.spec)];
  Object.keys(S.params||{}).forEach(function(k){parts.push('p.'+encodeURIComponent(k)+'='+encodeURIComponent(paramText(S.params[k])))});
  Object.keys(S.faults||{}).forEach(function(k){parts.push('f.'+encodeURIComponent(k)+'='+S.faults[k])});
  if(S.init)parts.push('init='+S.init);
  S.path.forEach(function(k){parts.push('s='+encodeURIComponent(k))});
  if(S.at!==S.path.length)parts.push('at='+S.at);
  if(S.loop!==null)parts.push('loop='+S.loop);
  return '#'+parts.join('&')}
function decodeHash(h){
  var out={spec:null,params:{},faults:{},init:0,path:[],at:null,loop:null,any:false};
  if(!h||h.length<2)return out;
  h.slice(1).split('&').forEach(function(part){
    var i=part.indexOf('=');if(i<0)return;var k=decodeURIComponent(part.slice(0,i)),v=decodeURIComponent(part.slice(i+1));out.any=true;
    if(k==='spec')out.spec=v;else if(k==='init')out.init=+v;else if(k==='at')out.at=+v;else if(k==='loop')out.loop=+v;else if(k==='s')out.path.push(v);
    else if(k.slice(0,2)==='p.')out.params[k.slice(2)]=v;else if(k.slice(0,2)==='f.')out.faults[k.slice(2)]=+v});
  return out}
function refresh(){
  var seq=++S.seq;
  var req={params:S.params,faults:S.faults,init:S.init,path:S.path,at:S.at};if(S.loop!==null)req.loop=S.loop;
  return api('POST','/api/state',req).then(function(d){
    if(seq!==S.seq)return;
    S.data=d;S.params=d.params;S.faults=d.faults;S.init=d.init;S.loop=d.loop===undefined?null:d.loop;
    var notes=[];
    if(d.stopped){notes.push('Step '+d.stopped.step+' of the path ('+d.stopped.key+') no longer fits the spec: it is not enabled there. The path is kept up to step '+(d.stopped.step-1)+'.');S.path=d.path.slice()}
    if(d.error){var e=d.error;notes.push('The spec threw while computing the actions enabled after step '+e.step+(e.action?' (taking '+e.action+')':'')+': '+e.message+(e.role?'\nrole: '+e.role:'')+(e.handler?'  handler: '+e.handler:''))}
    S.at=d.at;
    banner(S.banner||notes.join('\n'));S.banner='';
    render();
    history.replaceState(null,'',encodeHash());
  }).catch(function(e){if(seq===S.seq)status(e.message,true)})}
function go(at){if(at<0||at>S.path.length||at===S.at)return;S.at=at;status('');refresh()}
function take(key){
  if(S.at<S.path.length&&S.path[S.at]===key){S.at++}
  else{var branched=S.at<S.path.length;S.loop=null;S.path=S.path.slice(0,S.at).concat([key]);S.at=S.path.length;status(branched?'branched at step '+(S.at-1)+': the steps after it were replaced':'')}
  refresh()}
function kv(name,value,changed){var d=el('div','kv'+(changed?' changed':''));d.appendChild(el('span','k',name));d.appendChild(document.createTextNode(' = '+value));return d}
function renderProps(d){
  var ul=$('props');ul.textContent='';
  if(!d.properties.length){ul.appendChild(el('li','','(the spec declares no invariants)'));return}
  d.properties.forEach(function(p){
    var li=el('li',p.holds?'ok':'bad');li.setAttribute('data-property',p.name);
    li.appendChild(el('span','mark',p.holds?'✓ holds  ':'✗ FAILS  '));li.appendChild(el('b','',p.name));
    if(p.kind==='actionProperty')li.appendChild(el('span','',' (on the last step)'));
    if(!p.holds){li.appendChild(el('div','msg',p.message||''));(p.read||[]).forEach(function(r){li.appendChild(el('div','read','it read '+r))})}
    ul.appendChild(li)})}
function renderWorld(d){
  var w=$('world');w.textContent='';var st=d.state;
  $('where').textContent='after step '+d.at+' of '+d.path.length+(d.at===0?' (initial state)':'');
  if(d.initialStates>1){
    var sel=el('select');sel.id='init';sel.setAttribute('aria-label','initial state');
    for(var i=0;i<d.initialStates;i++){var c=(d.initialChoices||[])[i];var o=el('option','','initial state '+(i+1)+' of '+d.initialStates+(c?': '+c:''));o.value=String(i);sel.appendChild(o)}
    sel.value=String(d.init);sel.onchange=function(){S.init=+sel.value;S.path=[];S.at=0;S.loop=null;refresh()};w.appendChild(sel)}
  if(!d.withinConstraint)w.appendChild(el('div','facts','outside the spec\'s constraint: the checker does not expand this state'));
  if(st.kind==='core'){st.fields.forEach(function(f){w.appendChild(kv(f.name,f.value,f.changed))});return}
  var facts=el('div','facts');
  if(st.time!==undefined)facts.appendChild(el('span','','time '+st.time+(S.params&&S.params.maxTime!==undefined?' of '+S.params.maxTime:'')));
  if(st.partition!==undefined)facts.appendChild(el('span','',st.partition?'PARTITION {'+st.partition[0].join(',')+'} | {'+st.partition[1].join(',')+'}':'partition: none'));
  facts.appendChild(el('span','',st.budgets.length?'faults left: '+st.budgets.map(function(b){return b.fault+' '+b.left+'/'+b.budget}).join(', '):'no faults allowed'));
  w.appendChild(facts);
  var cards=el('div','cards');
  st.nodes.forEach(function(n){
    var c=el('div','card '+n.status);c.setAttribute('data-node',n.id);
    var h=el('div');h.appendChild(el('span','name',n.id));if(n.role&&n.role!==n.id)h.appendChild(el('span','role',' ('+n.role+')'));
    h.appendChild(el('span','status'+(n.statusChanged?' changed':''),n.status==='up'?'up':n.status.toUpperCase()));c.appendChild(h);
    if(n.state===null)c.appendChild(el('div','part','volatile state lost'));else n.state.forEach(function(f){c.appendChild(kv(f.name,f.value,f.changed))});
    if(n.durable){c.appendChild(el('div','part','durable'));n.durable.forEach(function(f){c.appendChild(kv(f.name,f.value,f.changed))})}
    if(n.timers&&n.timers.length){c.appendChild(el('div','part','timers'));n.timers.forEach(function(t){c.appendChild(el('div','kv'+(t.changed?' changed':''),t.name+(t.due!==undefined?' due t='+t.due:' armed')))})}
    if(n.clock)c.appendChild(el('div','part','clock: time-of-day '+n.clock.timeOfDay+' (offset '+(n.clock.offset>0?'+':'')+n.clock.offset+'), monotonic '+n.clock.monotonic));
    cards.appendChild(c)});
  w.appendChild(cards);
  var f=el('div','part','in flight: '+(st.inFlight.length?'':'nothing'));f.style.marginTop='6px';w.appendChild(f);
  if(st.inFlight.length){var ul=el('ul','list');st.inFlight.forEach(function(m){ul.appendChild(el('li',m.changed?'changed':'',m.key+(m.copies>1?'  ×'+m.copies:'')))});w.appendChild(ul)}
  if(st.observed.length){w.appendChild(el('div','part','observed (ghost history)'));st.observed.forEach(function(o){w.appendChild(kv(o.name,o.value,o.changed))})}}
function renderActions(d){
  var box=$('actions');box.textContent='';var n=0;
  var groups=[],byName={};
  var order=d.state.kind==='protocol'?d.state.nodes.map(function(x){return x.id}):[];
  order.forEach(function(id){byName[id]={name:id,acts:[]};groups.push(byName[id])});
  d.actions.forEach(function(a){var g=a.node||(d.kind==='core'?'actions':'whole system');if(!byName[g]){byName[g]={name:g,acts:[]};groups.push(byName[g])}byName[g].acts.push(a)});
  if(!d.actions.length){box.appendChild(el('div','',d.error?'(unknown: the spec threw; see above)':'nothing: no action is enabled here'));return}
  var next=S.at<S.path.length?S.path[S.at]:null;
  groups.forEach(function(g){
    if(!g.acts.length)return;
    var div=el('div','group');div.appendChild(el('div','gname',g.name));
    var ord=g.acts.filter(function(a){return !a.fault}),flt=g.acts.filter(function(a){return a.fault});
    [ord,flt].forEach(function(list,i){
      if(!list.length)return;var wrap=el('div',i?'faults':'ordinary');
      list.forEach(function(a){
        n++;var b=el('button','act k-'+a.kind+(a.fault?' fault':'')+(a.key===next?' next':''));b.type='button';b.setAttribute('data-key',a.key);b.setAttribute('data-n',String(n));
        b.appendChild(el('span','num',n<=9?String(n):''));b.appendChild(el('span','tag',a.tag));b.appendChild(el('span','text',a.text));
        if(a.violates.length){b.appendChild(el('span','warn','⚠ violates '+a.violates.map(function(v){return v.name}).join(', ')));b.title=a.violates.map(function(v){return v.name+': '+v.message}).join('\n')}
        else b.title=a.label;
        b.onclick=function(){take(a.key)};wrap.appendChild(b)});
      div.appendChild(wrap)});
    box.appendChild(div)})}
function renderSteps(d){
  var ol=$('steps');ol.textContent='';
  d.steps.forEach(function(s){
    var li=el('li',(s.index===d.at?'current':'')+(s.index>d.at?' future':'')+(d.loop!==undefined&&s.index>=d.loop?' loop':''));li.setAttribute('data-step',String(s.index));
    li.appendChild(el('div','head k-'+s.kind,(s.index===d.at?'▶ ':'  ')+s.head));
    if(s.body.length)li.appendChild(el('div','changes',s.body.join('\n')));
    if(s.failing.length)li.appendChild(el('div','fails','✗ '+s.failing.join(', ')+' fails here'));
    li.onclick=function(){go(s.index)};ol.appendChild(li)});
  if(d.loop!==undefined){var note=el('li','loopnote',d.loopNote);note.title='the behaviour goes on forever: click to go to step '+d.loop;note.onclick=function(){go(d.loop)};ol.appendChild(note)}
  // Scroll the path's box (not the page) so that the current step is in view.
  var cur=ol.querySelector('li.current'),box=$('path-box');
  if(cur&&(cur.offsetTop<box.scrollTop+30||cur.offsetTop+cur.offsetHeight>box.scrollTop+box.clientHeight))box.scrollTop=Math.max(0,cur.offsetTop+cur.offsetHeight-box.clientHeight+8)}
function renderChart(d){
  var box=$('chart-box');if(!d.chart){box.style.display='none';return}
  box.style.display='';var wrap=$('chart-wrap');wrap.innerHTML=d.chart;
  var rows=wrap.querySelectorAll('.row');
  for(var i=0;i<rows.length;i++){var r=rows[i];var k=+r.getAttribute('data-step');r.classList.toggle('selected',k===d.at);r.onclick=(function(k){return function(){go(k)}})(k)}}
function render(){
  var d=S.data;
  $('spec-name').textContent=d.spec;
  var cfg=Object.keys(d.params).map(function(k){return k+'='+paramText(d.params[k])}).join(' ');
  var f=Object.keys(d.faults).filter(function(k){return d.faults[k]>0}).map(function(k){return k+'='+d.faults[k]}).join(',');
  $('config').textContent=(cfg?'params: '+cfg:'')+(f?'   faults: '+f:'');
  renderProps(d);renderWorld(d);renderActions(d);renderSteps(d);renderChart(d);
  $('back').disabled=d.at===0;$('fwd').disabled=d.at>=d.path.length;$('restart').disabled=d.at===0;
  document.body.setAttribute('data-at',String(d.at));document.body.setAttribute('data-length',String(d.path.length));
  document.body.setAttribute('data-violated',d.properties.some(function(p){return !p.holds})?'true':'false')}
function pollJob(id){
  api('GET','/api/check/'+id).then(function(j){
    if(S.job!==id)return;
    if(j.status==='running'){var s=j.stats;status('searching from step '+j.from.path.length+': '+(s?s.distinctStates.toLocaleString()+' states, depth '+s.depth+', ':'')+(j.elapsedMs/1000).toFixed(1)+' s — Esc or Stop to stop');setTimeout(function(){pollJob(id)},250);return}
    S.job=null;$('stop').hidden=true;$('find').disabled=false;
    var r=j.result||{},n=r.stats?r.stats.distinctStates.toLocaleString()+' states, '+(r.stats.durationMs/1000).toFixed(2)+' s':'';
    if(r.verdict==='violation'){var from=j.from.path.length;S.init=r.init;S.path=j.from.path.concat(r.keys);S.at=S.path.length;S.loop=r.loop===undefined?null:r.loop;
      var lasso=r.loop===undefined?'':r.loop===S.path.length?', then it stays at step '+r.loop+' forever':', then ↻ back to step '+r.loop+' forever';
      status('found: '+r.property+' is violated '+r.keys.length+' step'+(r.keys.length===1?'':'s')+' after step '+from+lasso+' (the shortest from there; '+n+')',true);refresh()}
    else if(r.verdict==='ok')status('no violation is reachable from '+(j.from.path.length?'step '+j.from.path.length:'any initial state')+' ('+n+': every state reachable from here was checked)');
    else if(r.verdict==='incomplete')status('no violation found before the search stopped'+(r.message?' ('+r.message+')':'')+(n?'; '+n:''));
    else status('the search failed: '+(r.message||'unknown error'),true)
  }).catch(function(e){S.job=null;$('stop').hidden=true;$('find').disabled=false;status(e.message,true)})}
function find(){
  if(S.job!==null||!S.data)return;
  api('POST','/api/check',{params:S.params,faults:S.faults,init:S.init,path:S.path.slice(0,S.at)}).then(function(j){
    S.job=j.id;$('stop').hidden=false;$('find').disabled=true;status('searching from step '+S.at+'…');pollJob(j.id)}).catch(function(e){status(e.message,true)})}
function stop(){if(S.job!==null)api('DELETE','/api/check/'+S.job).catch(function(e){status(e.message,true)})}
function loadTrace(file){
  file.text().then(function(text){return api('POST','/api/trace',text,true)}).then(function(t){
    S.params=t.params;S.faults=t.faults;S.init=t.init;S.path=t.path;S.at=0;S.loop=t.loop===undefined?null:t.loop;
    S.banner=t.stopped?t.stopped.message+'; the steps before it are loaded.':'';
    status('loaded '+file.name+(t.saved&&t.saved.property?' (a counterexample to '+t.saved.property+')':'')+': '+t.path.length+' steps; press → or End to step through, or take another action to branch');
    return refresh()}).catch(function(e){status('cannot load '+file.name+': '+e.message,true)})}
function share(){
  var url=location.href;
  if(navigator.clipboard&&navigator.clipboard.writeText)navigator.clipboard.writeText(url).then(function(){status('link copied: '+url)},function(){status('link: '+url)});
  else status('link: '+url)}
document.addEventListener('keydown',function(e){
  var t=e.target;if(t&&(t.tagName==='INPUT'||t.tagName==='SELECT'||t.tagName==='TEXTAREA'))return;
  if(e.ctrlKey||e.metaKey||e.altKey)return;
  var k=e.key;
  if(k==='ArrowLeft'||k==='h'){go(S.at-1);e.preventDefault()}
  else if(k==='ArrowRight'||k==='l'){go(S.at+1);e.preventDefault()}
  else if(k==='Home'){go(0);e.preventDefault()}
  else if(k==='End'){go(S.path.length);e.preventDefault()}
  else if(k>='1'&&k<='9'){var b=document.querySelector('#actions .act[data-n="'+k+'"]');if(b){b.click();e.preventDefault()}}
  else if(k==='f'){find();e.preventDefault()}
  else if(k==='Escape'){stop()}
  else if((k==='ArrowDown'||k==='ArrowUp'||k==='j'||k==='k')){
    var acts=[].slice.call(document.querySelectorAll('#actions .act'));if(!acts.length)return;
    var i=acts.indexOf(document.activeElement);var down=k==='ArrowDown'||k==='j';
    i=i<0?(down?0:acts.length-1):Math.max(0,Math.min(acts.length-1,i+(down?1:-1)));acts[i].focus();e.preventDefault()}});
$('back').onclick=function(){go(S.at-1)};$('fwd').onclick=function(){go(S.at+1)};$('restart').onclick=function(){go(0)};
$('find').onclick=find;$('stop').onclick=stop;$('share').onclick=share;
$('load').onchange=function(){if(this.files&&this.files[0])loadTrace(this.files[0]);this.value=''};
api('GET','/api/spec').then(function(spec){
  S.spec=spec.spec;document.title='faultline explore: '+spec.spec;
  var h=decodeHash(location.hash);
  if(h.any){
    if(h.spec&&h.spec!==spec.spec){S.banner='This link is for spec "'+h.spec+'", but this server explores "'+spec.spec+'"; showing its initial state.'}
    else{S.params=h.params;S.faults=Object.keys(h.faults).length?h.faults:null;S.init=h.init;S.path=h.path;S.at=h.at===null?h.path.length:Math.min(h.at,h.path.length);S.loop=h.loop}}
  if(!S.params)S.params=spec.params;if(!S.faults)S.faults=spec.faults;
  return refresh()}).catch(function(e){status(e.message,true)});
})();
`;

const BODY = `
<header>
<div class="top"><h1>faultline explore</h1><span id="spec-name"></span><span id="config"></span></div>
<nav aria-label="path controls">
<button id="restart" type="button" title="back to the initial state (Home)">« Start</button>
<button id="back" type="button" title="previous step (←)">◀ Back</button>
<button id="fwd" type="button" title="next step on the path (→)">Forward ▶</button>
<button id="find" type="button" title="breadth-first search from the state shown (f)">Find the shortest violation from here</button>
<button id="stop" type="button" hidden title="stop the search (Esc)">■ Stop</button>
<label class="file" title="a counterexample saved by check --trace-out or --save-trace">Load trace…<input id="load" type="file" accept=".json,application/json"></label>
<button id="share" type="button" title="the URL holds the spec, params, faults and path">Copy link</button>
</nav>
<div id="status" role="status" aria-live="polite"></div>
<div id="banner" role="alert"></div>
</header>
<main>
<div class="col">
<section id="props-box" aria-label="properties"><h2>Properties <span class="sub">in the state shown</span></h2><ul id="props"></ul></section>
<section id="world-box" aria-label="the world now"><h2>The world now <span class="sub" id="where"></span></h2><div id="world"></div></section>
<section id="chart-box" aria-label="sequence chart"><h2>Sequence chart</h2><div id="chart-wrap"></div></section>
</div>
<div class="col">
<section id="actions-box" aria-label="enabled actions"><h2>What can happen next <span class="sub">click, or press its number</span></h2><div id="actions"></div></section>
<section id="path-box" aria-label="the path so far"><h2>The path so far <span class="sub">click a step to go back to it</span></h2><ol id="steps"></ol></section>
</div>
</main>
<footer>Keys: <kbd>←</kbd>/<kbd>→</kbd> previous/next step · <kbd>Home</kbd>/<kbd>End</kbd> start/end of the path · <kbd>1</kbd>–<kbd>9</kbd> take that action · <kbd>↑</kbd>/<kbd>↓</kbd> move through the actions, <kbd>Enter</kbd> takes one · <kbd>f</kbd> find the shortest violation from here · <kbd>Esc</kbd> stop it. Taking another action at an earlier step branches there.</footer>
`;

/** The whole page (the server sends it as is). */
export function explorerPage(): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>faultline explore</title>
<style>${CSS}</style>
</head>
<body>${BODY}<script>${SCRIPT}</script>
</body>
</html>
`;
}

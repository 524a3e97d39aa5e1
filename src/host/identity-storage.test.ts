import { expect } from '@open-wc/testing';
import './define.js';
import { readIdentity, writeIdentity, parseClue } from './identity-storage.js';
import { bootWidget, cleanPage, report } from '../../test/helpers/browser/host-double.js';

const clue = { bs: 'b1', bs_mm: 'm1', fk_id: 'f1' };

function breakLocalStorage(): () => void {
  const owner = Object.prototype.hasOwnProperty.call(window, 'localStorage') ? window : Window.prototype;
  const original = Object.getOwnPropertyDescriptor(owner, 'localStorage')!;
  Object.defineProperty(window, 'localStorage', {
    configurable: true,
    get() {
      throw new DOMException('The operation is insecure.', 'SecurityError');
    },
  });
  return () => {
    delete (window as any).localStorage;
    Object.defineProperty(owner, 'localStorage', original);
  };
}
const clearCookie = (appid: string) => (document.cookie = `twt_identity_${appid}=; path=/; max-age=0`);

describe('identity storage', () => {
  afterEach(() => {
    localStorage.clear();
    clearCookie('demo');
    clearCookie('s1');
    cleanPage();
  });

  it('round-trips through localStorage under twt:identity:<appid>', () => {
    expect(writeIdentity('s1', clue, 'local')).to.equal('local');
    expect(localStorage.getItem('twt:identity:s1')).to.equal(JSON.stringify(clue));
    expect(readIdentity('s1', 'local')).to.deep.equal(clue);
    expect(readIdentity('s1', 'none')).to.equal(undefined);
  });

  it('falls back to a first-party cookie when localStorage throws', () => {
    const restore = breakLocalStorage();
    try {
      expect(writeIdentity('s1', clue, 'local')).to.equal('cookie');
      expect(readIdentity('s1', 'local')).to.deep.equal(clue);
    } finally {
      restore();
    }
  });

  it('survives setItem throwing (quota) and a cookie jar that throws', () => {
    const setItem = Storage.prototype.setItem;
    const cookie = Object.getOwnPropertyDescriptor(Document.prototype, 'cookie')!;
    Storage.prototype.setItem = () => {
      throw new DOMException('full', 'QuotaExceededError');
    };
    Object.defineProperty(document, 'cookie', {
      configurable: true,
      get() {
        throw new Error('cookies disabled');
      },
      set() {
        throw new Error('cookies disabled');
      },
    });
    try {
      expect(writeIdentity('s1', clue, 'local')).to.equal('');
      expect(readIdentity('s1', 'local')).to.equal(undefined);
    } finally {
      Storage.prototype.setItem = setItem;
      delete (document as any).cookie;
      expect(Object.getOwnPropertyDescriptor(Document.prototype, 'cookie')).to.deep.equal(cookie);
    }
  });

  it('a stored value that is not a clue reads as none', () => {
    for (const bad of ['', 'x', '[]', 'null', '{"bs":1,"bs_mm":"m"}', '{"bs":"b"}', JSON.stringify({ bs: 'x'.repeat(300), bs_mm: 'm' })]) expect(parseClue(bad), bad).to.equal(undefined);
    (Object.prototype as any).bs = 'evil';
    (Object.prototype as any).bs_mm = 'evil';
    try {
      expect(parseClue('{}')).to.equal(undefined);
    } finally {
      delete (Object.prototype as any).bs;
      delete (Object.prototype as any).bs_mm;
    }
  });

  it('the widget boots and stays anonymous-safe when storage throws', async () => {
    const restore = breakLocalStorage();
    try {
      const el = await bootWidget();
      expect(el.initialized).to.be.true;
      expect(document.cookie).to.contain('twt_identity_demo'); // visitor_auth_ready went to the cookie
      el.destroy();
      el.init();
      await new Promise((r) => el.addEventListener('twt-bridge-ready', r, { once: true }));
      expect((await report('panel')).boot!.clue).to.deep.equal({ bs: 'bs-new', bs_mm: 'bsmm-new', fk_id: 'fk-new' });
    } finally {
      restore();
    }
  });
});

// "Did you mean": edit distance with swaps counted once, and when a name is close enough to suggest.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { closestName, didYouMean, editDistance } from '../../engine/analysis/did-you-mean';

describe('did you mean', () => {
  it('counts insertions, deletions, substitutions and neighbour swaps, ignoring case', () => {
    assert.equal(editDistance('poll', 'poll'), 0);
    assert.equal(editDistance('Counter', 'counter'), 0);
    assert.equal(editDistance('conect_to_peer', 'connect_to_peer'), 1);
    assert.equal(editDistance('lable', 'label'), 1);
    assert.equal(editDistance('put_pakcet', 'put_packet'), 1);
    assert.equal(editDistance('abc', 'xyz'), 3);
  });

  it('suggests only likely typos', () => {
    assert.equal(closestName('get_stauts', ['get_status', 'get_packet', 'poll']), 'get_status');
    assert.equal(closestName('K', ['f', 'x']), undefined, 'one letter is not a typo of another');
    assert.equal(closestName('k', ['K']), 'K');
    assert.equal(closestName('listen_udp', ['poll', 'bind']), undefined);
    assert.equal(didYouMean('prnt', ['print', 'printt']), ' Did you mean "print"?');
    assert.equal(didYouMean('xyz', ['print']), '');
  });
});

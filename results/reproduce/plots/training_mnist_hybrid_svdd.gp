set terminal pngcairo size 900,560 enhanced font 'DejaVu Sans,10'
set output 'training_mnist_hybrid_svdd.png'
$S0 << EOD
1 209.86829630533853
2 154.96967569986978
3 118.23552703857422
4 97.81907653808594
EOD
$S1 << EOD
1 30.006510416666668
2 14.316255569458008
3 10.794625600179037
EOD
set title "MNIST: hybrid\\_svdd training loss per epoch, seed 1"
set xlabel "epoch"
set ylabel "mean batch loss"
set grid
set key outside right
set logscale y

plot $S0 using 1:2 with lines lw 2 title "class 3 autoencoder", $S1 using 1:2 with lines lw 2 title "class 3 φ"

unset output
reset
set terminal svg size 900,560 enhanced font 'DejaVu Sans,10' background rgb 'white'
set output 'training_mnist_hybrid_svdd.svg'
$S0 << EOD
1 209.86829630533853
2 154.96967569986978
3 118.23552703857422
4 97.81907653808594
EOD
$S1 << EOD
1 30.006510416666668
2 14.316255569458008
3 10.794625600179037
EOD
set title "MNIST: hybrid\\_svdd training loss per epoch, seed 1"
set xlabel "epoch"
set ylabel "mean batch loss"
set grid
set key outside right
set logscale y

plot $S0 using 1:2 with lines lw 2 title "class 3 autoencoder", $S1 using 1:2 with lines lw 2 title "class 3 φ"

unset output
reset
